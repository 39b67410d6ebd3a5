import { expect } from 'chai';
import { detectFormat, parseSource } from './index.ts';

const XHTML_DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">';
const rss = (channel: string, prolog = '<?xml version="1.0" encoding="UTF-8"?>') =>
  `${prolog}<rss version="2.0"><channel><title>Báo</title><link>https://bao.example.vn/</link>${channel}</channel></rss>`;
const item = (n: number, description: string) => `<item><title>Tin ${n}</title><guid>${n}</guid><link>https://bao.example.vn/${n}.html</link><description>${description}</description></item>`;

describe('detecting a source\'s format from its root element', () => {
  describe('legitimate feeds that mention HTML or entities are read', () => {
    const cases: [string, string][] = [
      ['an item quoting a whole HTML page in CDATA in the first 4 KB', rss(item(1, '<![CDATA[<!DOCTYPE html><html><head></head><body><p>Bài viết</p></body></html>]]>'))],
      ['an XHTML DOCTYPE inside CDATA', rss(item(1, `<![CDATA[${XHTML_DOCTYPE}<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>]]>`))],
      ['an escaped <html> in a description', rss(item(1, '&lt;html&gt;&lt;body&gt;Tóm tắt&lt;/body&gt;&lt;/html&gt;'))],
      ['a comment that mentions <!ENTITY', rss(item(1, 'Tóm tắt'), '<?xml version="1.0"?><!-- this feed declares no <!ENTITY at all; <html> neither -->')],
      ['CDATA that mentions <!ENTITY', rss(item(1, '<![CDATA[How XXE works: <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>]]>'))],
      ['the RSS 0.91 DOCTYPE (external, no entity declared)', rss(item(1, 'Tóm tắt'), '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">')],
      ['a stylesheet instruction and a byte-order mark', `\uFEFF${rss(item(1, 'Tóm tắt'), '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="/rss.xsl"?>\n')}`],
    ];
    for (const [name, body] of cases) {
      it(name, () => {
        expect(detectFormat(body)).to.equal('rss');
        const [first] = parseSource('feed', 'https://bao.example.vn/rss', body);
        expect(first!.title).to.equal('Tin 1');
      });
    }

    it('an Atom feed whose XHTML content is an html element', () => {
      const atom = `<?xml version="1.0"?><!-- <html> --><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><title>Tin</title><content type="html">&lt;html&gt;x&lt;/html&gt;</content></entry></feed>`;
      expect(detectFormat(atom)).to.equal('atom');
      expect(parseSource('feed', 'https://bao.example.vn/atom', atom)).to.have.length(1);
    });
  });

  describe('HTML pages and entity declarations are still refused', () => {
    const pages: [string, string][] = [
      ['an HTML5 page', '<!DOCTYPE html><html lang="vi"><head><title>Trang chủ</title></head><body><p>x</p></body></html>'],
      ['an XHTML page with an XML declaration', `<?xml version="1.0" encoding="utf-8"?>${XHTML_DOCTYPE}<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>`],
      ['a page after a comment', '<!-- cache: hit --><HTML><BODY>x</BODY></HTML>'],
      ['a page without <html>', '<head><meta charset="utf-8"><title>x</title></head><body>x</body>'],
      ['a page with a doctype and text only', '<!doctype html>Trang chủ'],
    ];
    for (const [name, body] of pages) {
      it(name, () => {
        expect(detectFormat(body)).to.equal('html');
        expect(() => parseSource('feed', 'https://bao.example.vn/', body)).to.throw(/HTML page, not a feed/);
      });
    }

    const declarations: [string, string][] = [
      ['an external entity (XXE)', rss('<title>&xxe;</title>', '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')],
      ['billion laughs', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><rss version="2.0"><channel><title>&lol2;</title></channel></rss>'],
      ['a parameter entity', rss('', '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://169.254.169.254/x.dtd">%remote;]>')],
      ['a declaration after a comment in the internal subset', rss('', '<?xml version="1.0"?><!DOCTYPE rss [<!-- harmless --><!ENTITY a "b">]>')],
      ['a declaration after a quoted "]" in the internal subset', rss('', '<?xml version="1.0"?><!DOCTYPE rss [<!ATTLIST rss x CDATA "]>"><!ENTITY a "b">]>')],
      ['a declaration hidden behind an unterminated comment', rss('', '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]><!-- ')],
      ['an Atom feed declaring an entity', '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY e "x">]><feed xmlns="http://www.w3.org/2005/Atom"><title>&e;</title></feed>'],
    ];
    for (const [name, body] of declarations) {
      it(name, () => {
        expect(() => parseSource('feed', 'https://bao.example.vn/', body)).to.throw(/declares XML entities/);
      });
    }

    it('XML with another root names it', () => {
      expect(() => detectFormat('<?xml version="1.0"?><!-- <rss> --><urlset><url/></urlset>')).to.throw(/<urlset> root, neither RSS nor Atom/);
    });
  });
});

import { expect } from 'chai';
import { parseAtom } from './atom.ts';

describe('Atom parser', () => {
  it('reads XHTML content with its text in order', () => {
    const [entry] = parseAtom('https://x.example/', `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Tin <em>mới</em></div></title><id>1</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Xin <b>chào</b> &amp; tạm biệt</p><p>Hai</p></div></content></entry></feed>`);
    expect(entry!.bodyHtml).to.equal('<p>Xin <b>chào</b> &amp; tạm biệt</p><p>Hai</p>');
    expect(entry!.title).to.equal('Tin <em>mới</em>');
  });
});

/**
 * The rendered feeds as independent readers see them: rss-parser (npm) and Python's feedparser,
 * for Vietnamese, Chinese, Russian and Lao text and for hostile text (`]]>`, `<script>`, control
 * characters, lone surrogates). Titles, links, dates, language and enclosures must come through.
 */
import { expect } from 'chai';
import Parser from 'rss-parser';
import { renderAtom } from '../src/publish/atom.ts';
import type { FeedDocument } from '../src/publish/feed-document.ts';
import { renderJsonFeed } from '../src/publish/json-feed.ts';
import { renderRss } from '../src/publish/rss.ts';
import { xmlSafe } from '../src/core/escape.ts';
import { feedOf, HOSTILE, item, scripts } from './support/feed-fixtures.ts';
import { feedparserAvailable, parseWithFeedparser } from './support/feedparser.ts';

const NOW = new Date(Date.UTC(2026, 10, 22, 6, 0, 0));
const image = { url: 'https://img.example.org/lead.jpg', type: 'image/jpeg', length: 48213, width: 1200, height: 630 };

function documentFor(language: string, title: string, summary: string, body: string): FeedDocument {
  return feedOf(language, [
    item({
      n: 2, language, title, summary, contentHtml: body, image, version: 2,
      updatedAt: new Date(Date.UTC(2026, 10, 21, 15, 30, 0)),
      correctionNote: 'Correction: this article was updated.',
      category: { slug: 'doi-ngoai', name: 'Đối ngoại' },
      translations: [{ language: 'fr', url: 'https://news.example.org/read/fr/12' }],
    }),
    item({ n: 1, language, title: `${title} (1)`, summary, contentHtml: body }),
  ]);
}

const cases = [...scripts, { language: 'en', title: HOSTILE, summary: HOSTILE, body: `<p>${HOSTILE}</p>` }];

describe('feeds as readers see them', () => {
  for (const c of cases) {
    const label = c.title === HOSTILE ? 'hostile text' : c.language;
    const doc = documentFor(c.language, c.title, c.summary, c.body);
    const expectedTitle = xmlSafe(c.title);
    const rss = renderRss(doc, NOW);
    const atom = renderAtom(doc, NOW);
    const json = renderJsonFeed(doc, NOW);

    describe(label, () => {
      it('RSS through rss-parser: titles, links, guids, dates, language, enclosure', async () => {
        const feed = await new Parser({ customFields: { feed: ['language'] } }).parseString(rss);
        expect((feed as unknown as { language: string }).language).to.equal(c.language);
        expect(feed.items.map((i) => i.title)).to.deep.equal([expectedTitle, `${expectedTitle} (1)`]);
        expect(feed.items[0]!.link).to.equal('https://news.example.org/read/en/2');
        expect(feed.items[0]!.guid).to.equal('tag:news.example.org,2026-11-20:en/2');
        expect(feed.items[0]!.isoDate, 'pubDate is the first publication').to.equal('2026-11-20T10:00:00.000Z');
        expect(feed.items[0]!.enclosure).to.deep.equal({ url: image.url, length: '48213', type: 'image/jpeg' });
        expect(feed.items[1]!.enclosure, 'no image, no enclosure').to.equal(undefined);
      });

      it('Atom through rss-parser: titles, links, ids, dates', async () => {
        const feed = await new Parser().parseString(atom);
        expect(feed.items.map((i) => i.title)).to.deep.equal([expectedTitle, `${expectedTitle} (1)`]);
        expect(feed.items[0]!.id).to.equal('tag:news.example.org,2026-11-20:en/2');
        expect(feed.items[0]!.link).to.equal('https://news.example.org/read/en/2');
        expect(feed.items[0]!.isoDate).to.equal('2026-11-20T10:00:00.000Z');
      });

      it('JSON Feed 1.1: language, ids, dates apart, attachment with type and size', () => {
        const parsed = JSON.parse(json);
        expect(parsed.version).to.equal('https://jsonfeed.org/version/1.1');
        expect(parsed.language).to.equal(c.language);
        expect(parsed.authors).to.have.length(1);
        const [first] = parsed.items;
        expect(first.title).to.equal(expectedTitle);
        expect(first.language).to.equal(c.language);
        expect(first.date_published).to.equal('2026-11-20T10:00:00Z');
        expect(first.date_modified).to.equal('2026-11-21T15:30:00Z');
        expect(first.authors).to.deep.equal([{ name: 'Thu Hằng' }]);
        expect(first._translations.original.date_published).to.equal('2026-11-20T05:00:00Z');
        expect(first.attachments).to.deep.equal([{ url: image.url, mime_type: 'image/jpeg', size_in_bytes: 48213 }]);
        expect(first._translations.alternates).to.deep.equal([{ language: 'fr', url: 'https://news.example.org/read/fr/12' }]);
        expect(json).not.to.match(/\\ud[89a-f]/i);
      });

      it('RSS and Atom through feedparser: well-formed, language, links, dates, enclosures', function () {
        if (!feedparserAvailable()) {
          console.log('      (skipped: python3 -c "import feedparser" failed; install python3-feedparser)');
          this.skip();
        }
        const [r, a] = parseWithFeedparser([rss, atom]);
        for (const parsed of [r!, a!]) {
          expect(parsed.bozo, `strict XML parse: ${parsed.bozo_exception}`).to.equal(0);
          expect(parsed.language).to.equal(c.language);
          expect(parsed.entries).to.have.length(2);
          const [first] = parsed.entries;
          expect(first!.id).to.equal('tag:news.example.org,2026-11-20:en/2');
          expect(first!.link).to.equal('https://news.example.org/read/en/2');
          expect(first!.published).to.equal('2026-11-20T10:00:00Z');
          expect(first!.updated, 'the update date is kept apart').to.equal('2026-11-21T15:30:00Z');
          expect(first!.author, 'the original\'s author (dc:creator, atom:author)').to.equal('Thu Hằng');
          expect(first!.created, 'the original\'s date (dcterms:created)').to.equal('2026-11-20T05:00:00Z');
          expect(first!.enclosures).to.deep.equal([{ href: image.url, type: 'image/jpeg', length: '48213' }]);
          expect(first!.links.filter((l) => l.rel === 'alternate' && l.hreflang).map((l) => l.hreflang).sort()).to.include.members(parsed.version === 'atom10' ? ['fr', 'vi'] : []);
          // a title is text: the hostile one arrives as the same characters (minus those XML cannot carry)
          expect(first!.title).to.equal(expectedTitle);
          expect(first!.content.join('')).to.contain('<p class="correction">');
          if (c.title === HOSTILE) expect(first!.content.join('')).not.to.contain('<script');
        }
        expect(r!.version).to.equal('rss20');
        expect(a!.version).to.equal('atom10');
        expect(a!.links.map((l) => l.rel)).to.include.members(['self', 'hub', 'alternate']);
      });
    });
  }
});

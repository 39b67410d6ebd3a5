/**
 * A single article page (HTML) as one item: @mozilla/readability on linkedom finds the article and
 * leaves the site's chrome behind (menus, newer/older lists, counters, rating and login boxes,
 * document lists, footers). Readability drops two things a news desk needs, so they are taken from
 * the page before it runs: the bold lead (sapo, often outside the article body) and the article's
 * own source line ("Nguồn tin: Theo …"), which becomes the story's attribution. The lead image
 * comes from og:image, the date from article metadata or the Vietnamese date line.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { parseFeedDate, parseVietnameseDate } from '../dates.ts';
import { SOURCE_LINE } from '../clean.ts';
import { FeedFormatError, type IngestedItem } from '../item.ts';
import { escapeHtml } from '../../core/escape.ts';
import { httpUrl } from '../../core/urls.ts';

export interface ExtractedPage extends IngestedItem {
  canonicalUrl: string | undefined;
}

const LEAD_SELECTORS = ['[itemprop="description"]', '.hometext', '.sapo', '.lead', '.summary', '.article-summary', '.detail-sapo', '.news-sapo'];
const DATE_SELECTORS = ['time[datetime]', '.time', '.date', '.news-date', '.post-date', '.publish-date'];

/** Never article text, and a large share of a CMS page: dropped before the DOM is built. */
const INERT = /<(script|style|noscript|svg|template)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
/**
 * Chrome Readability would discard anyway, removed first so it scores fewer nodes. Not <form>:
 * ASP.NET portals wrap the whole page, article included, in one.
 */
const CHROME = 'nav, footer, aside, iframe, select, button, input, textarea, [role="navigation"], [role="banner"], [role="contentinfo"]';
const BLOCK = /^(DIV|P|UL|OL|TABLE|SECTION|ARTICLE|HEADER|FOOTER|NAV|FORM)$/;

export function parsePage(baseUrl: string, html: string): ExtractedPage {
  const { document } = parseHTML(html.replace(INERT, ''));
  const meta = (sel: string) => document.querySelector(sel)?.getAttribute('content')?.trim() || undefined;
  const abs = (u: string | undefined) => httpUrl(u, baseUrl);
  const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

  const canonicalUrl = abs(document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta('meta[property="og:url"]'));
  const h1 = text(document.querySelector('article h1, [itemprop="headline"], h1'));
  const title = meta('meta[property="og:title"]') ?? (h1 || text(document.querySelector('title')));
  const imageUrl = abs(meta('meta[property="og:image"]') ?? meta('meta[name="twitter:image"]'));

  let publishedAt = parseFeedDate(meta('meta[property="article:published_time"]') ?? meta('[itemprop="datePublished"]') ?? document.querySelector('time[datetime]')?.getAttribute('datetime') ?? undefined);
  if (!publishedAt) {
    for (const sel of DATE_SELECTORS) {
      const d = parseVietnameseDate(text(document.querySelector(sel)));
      if (d) {
        publishedAt = d;
        break;
      }
    }
  }

  const leadEl = LEAD_SELECTORS.map((s) => document.querySelector(s)).find((el) => text(el).length > 20);
  const lead = text(leadEl);
  // the credit line: a short block near the end; taken out before Readability so it is not repeated in the body
  const sourceEl = [...document.querySelectorAll('p, div, span')].reverse()
    .find((el) => el.children.length <= 3 && ![...el.children].some((c) => BLOCK.test(c.tagName)) && (el.textContent ?? '').length < 200 && SOURCE_LINE.test(text(el)));
  const sourceLine = sourceEl ? text(sourceEl) : undefined;
  sourceEl?.remove();
  for (const el of [...document.querySelectorAll(CHROME)]) el.remove();

  const article = new Readability(document as unknown as Document, { charThreshold: 200, keepClasses: false }).parse();
  if (!article?.content || !(article.textContent ?? '').trim()) throw new FeedFormatError('the page has no article text that could be extracted');
  let body = article.content;
  // the bold lead sits outside the article body on most Vietnamese CMSs; put it back first
  if (lead && !normalised(article.textContent ?? '').includes(normalised(lead).slice(0, 80))) body = `<p><strong>${escapeHtml(lead)}</strong></p>${body}`;

  return {
    guid: canonicalUrl ?? baseUrl,
    url: canonicalUrl ?? baseUrl,
    canonicalUrl,
    title: title || article.title || '',
    summary: lead || meta('meta[property="og:description"]') || meta('meta[name="description"]') || '',
    bodyHtml: body,
    author: undefined,
    category: meta('meta[property="article:section"]'),
    imageUrl,
    publishedAt,
    attribution: sourceLine,
  };
}

const normalised = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();


/**
 * Which parser reads an answer: decided by a single detectFormat switch over the content itself
 * (a source's configured kind is not trusted for feeds). Only a source of kind "page" is read as
 * one HTML article; HTML served where a feed was expected is an error that says so.
 */
import { FeedFormatError, type IngestedItem } from '../item.ts';
import { parseAtom } from './atom.ts';
import { parseJsonFeed } from './jsonfeed.ts';
import { parsePage } from './page.ts';
import { parseRss } from './rss.ts';
import { declaresEntities, ENTITIES_REFUSED, readProlog } from './xml.ts';

export type SourceFormat = 'rss' | 'atom' | 'jsonfeed' | 'html';

/** Elements an HTML page may start with when it leaves out <html> (browsers supply it). */
const HTML_STARTS = new Set(['html', 'head', 'body', 'meta', 'title', 'link', 'script', 'style', 'base', 'noscript', 'div', 'p', 'table', 'center', 'frameset', 'form', 'header', 'main', 'nav', 'section', 'article']);

/**
 * Decided from the document's root element (readProlog: the prolog as a parser reads it, nothing
 * processed), not from words found in its first kilobytes: a feed quoting `<html>` or an XHTML
 * DOCTYPE in a CDATA section stays a feed, and a comment that mentions `<!ENTITY` declares nothing.
 */
export function detectFormat(body: string): SourceFormat {
  const head = body.replace(/^\uFEFF/, '').trimStart().slice(0, 4096);
  if (head.startsWith('{') || head.startsWith('[')) {
    if (/"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//.test(body.slice(0, 8192))) return 'jsonfeed';
    throw new FeedFormatError('the answer is JSON but not a JSON Feed (no jsonfeed.org version)');
  }
  if (!head) throw new FeedFormatError('the answer is empty');
  const { root, doctype } = readProlog(body);
  const name = root?.toLowerCase();
  if ((name && HTML_STARTS.has(name)) || (!root && doctype?.toLowerCase() === 'html')) return 'html';
  if (declaresEntities(body)) throw new FeedFormatError(ENTITIES_REFUSED);
  if (root === 'rss' || root === 'rdf:RDF') return 'rss';
  if (root === 'feed') return 'atom';
  throw new FeedFormatError(root ? `the answer is XML with a <${root}> root, neither RSS nor Atom` : 'the answer is neither RSS, Atom, JSON Feed nor HTML');
}

/** Items of an answer: a feed's items, or the one article of a page source. */
export function parseSource(kind: string, baseUrl: string, body: string): IngestedItem[] {
  const format = detectFormat(body);
  switch (format) {
    case 'rss': return parseRss(baseUrl, body);
    case 'atom': return parseAtom(baseUrl, body);
    case 'jsonfeed': return parseJsonFeed(baseUrl, body);
    case 'html':
      if (kind !== 'page') throw new FeedFormatError(`the answer is an HTML page, not a feed (a source of kind "page" reads one article from a page)`);
      return [parsePage(baseUrl, body)];
  }
}


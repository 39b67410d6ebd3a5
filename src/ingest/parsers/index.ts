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

export type SourceFormat = 'rss' | 'atom' | 'jsonfeed' | 'html';

export function detectFormat(body: string): SourceFormat {
  const head = body.replace(/^\uFEFF/, '').trimStart().slice(0, 4096);
  if (head.startsWith('{') || head.startsWith('[')) {
    if (/"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//.test(body.slice(0, 8192))) return 'jsonfeed';
    throw new FeedFormatError('the answer is JSON but not a JSON Feed (no jsonfeed.org version)');
  }
  if (/<!doctype html|<html[\s>]/i.test(head)) return 'html';
  if (/<!ENTITY/i.test(head)) throw new FeedFormatError('the feed declares XML entities (refused: external entities and entity expansion are not processed)');
  // skip the prolog, comments and processing instructions to find the root element
  const root = /^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>))*\s*<([\w:-]+)/i.exec(head)?.[1];
  if (root === 'rss' || root === 'rdf:RDF') return 'rss';
  if (root === 'feed') return 'atom';
  if (root?.toLowerCase() === 'html' || /<body[\s>]/i.test(head)) return 'html';
  if (!head) throw new FeedFormatError('the answer is empty');
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


/**
 * XML for the feed parsers: fast-xml-parser with no DTD processing. A document that declares
 * entities is refused outright (no XXE, no entity-expansion bombs); malformed or truncated XML is
 * refused with its line. Also the small readers the RSS and Atom adapters share.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { httpUrl } from '../../core/urls.ts';
import { FeedFormatError } from '../item.ts';

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  // only the five XML entities and character references; DTD entities are refused below
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['item', 'entry', 'link', 'category', 'enclosure', 'media:content'].includes(name),
});

export function parseXml(body: string): Record<string, any> {
  // Feeds have no business declaring entities; refusing them rules out XXE and expansion bombs.
  if (/<!ENTITY/i.test(body)) throw new FeedFormatError('the feed declares XML entities (refused: external entities and entity expansion are not processed)');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new FeedFormatError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  return xml.parse(body) as Record<string, any>;
}

export function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') return text((node as Record<string, unknown>)['#text']);
  return '';
}

/** A link of the feed made absolute against `base`; only http(s) URLs are kept (core/urls.ts). */
export const absolute = (url: string | undefined, base: string): string | undefined => httpUrl(url, base);


/**
 * XML for the feed parsers: fast-xml-parser with no DTD processing. A document that declares
 * entities is refused outright (no XXE, no entity-expansion bombs); malformed or truncated XML is
 * refused with its line. Also the small readers the RSS and Atom adapters share.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { httpUrl } from '../../core/urls.ts';
import { FeedFormatError } from '../item.ts';

/** Deeper nesting than any feed needs (an item's text is escaped HTML, not elements): refused, not parsed. */
export const MAX_XML_DEPTH = 100;

const xml = new XMLParser({
  maxNestedTags: MAX_XML_DEPTH,
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

export const ENTITIES_REFUSED = 'the feed declares XML entities (refused: external entities and entity expansion are not processed)';

/** Comments and CDATA sections, leftmost first: what they say is text, never markup. */
const QUOTED_TEXT = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g;

/**
 * Whether the document declares an entity anywhere a parser would read one: `<!ENTITY` outside
 * comments and CDATA sections (where it is only text: a comment that mentions it is no
 * declaration). An unterminated comment or section hides nothing: its text is looked at too.
 */
export function declaresEntities(body: string): boolean {
  if (!/<!ENTITY/i.test(body)) return false;
  return /<!ENTITY/i.test(body.replace(QUOTED_TEXT, ''));
}

export interface Prolog {
  /** The root element's name as written (e.g. `rss`, `rdf:RDF`, `feed`, `html`), or undefined when none starts the document. */
  root: string | undefined;
  /** The DOCTYPE's name (`html`, `rss`), when there is one. */
  doctype: string | undefined;
}

/**
 * The document's prolog read the way an XML (or HTML) parser reads it, with nothing processed: a
 * byte-order mark and white space, the XML declaration, processing instructions, comments and one
 * DOCTYPE (its internal subset skipped with its quoted strings and comments), then the root
 * element's name. What the document says later (a CDATA section quoting `<html>` or an XHTML
 * DOCTYPE, inside the first kilobytes or not) cannot change the answer.
 */
export function readProlog(body: string): Prolog {
  let i = body.charCodeAt(0) === 0xfeff ? 1 : 0;
  let doctype: string | undefined;
  const n = body.length;
  const skipSpace = () => { while (i < n && /\s/.test(body[i]!)) i++; };
  const skipPast = (end: string) => { const at = body.indexOf(end, i); i = at < 0 ? n : at + end.length; };
  for (;;) {
    skipSpace();
    if (body.startsWith('<?', i)) skipPast('?>');
    else if (body.startsWith('<!--', i)) skipPast('-->');
    else if (/^<!doctype\s/i.test(body.slice(i, i + 10))) {
      i += 9;
      skipSpace();
      doctype = /^[^\s>[]+/.exec(body.slice(i, i + 200))?.[0];
      // to the '>' that closes it, past quoted strings and an internal subset in [ ]
      let depth = 0;
      while (i < n) {
        const c = body[i]!;
        if (c === '"' || c === "'") { i++; skipPast(c); continue; }
        if (depth && body.startsWith('<!--', i)) { skipPast('-->'); continue; }
        if (c === '[') depth++;
        else if (c === ']') depth = Math.max(0, depth - 1);
        else if (c === '>' && !depth) { i++; break; }
        i++;
      }
    } else break;
  }
  const root = /^<([A-Za-z_][\w:.-]*)/.exec(body.slice(i, i + 200))?.[1];
  return { root, doctype };
}

/**
 * What fast-xml-parser makes of a document: text, or an element (attributes as "@_name", text as
 * "#text", children by name), or a list of them where a name repeats. The adapters read it only
 * through the accessors below, which never throw on a shape a feed did not promise.
 */
export type XmlNode = string | number | boolean | XmlElement | readonly XmlNode[] | undefined;
export interface XmlElement { readonly [name: string]: XmlNode }

export function parseXml(body: string): XmlElement {
  // Feeds have no business declaring entities; refusing them rules out XXE and expansion bombs.
  if (declaresEntities(body)) throw new FeedFormatError(ENTITIES_REFUSED);
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new FeedFormatError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  try {
    return xml.parse(body) as XmlElement;
  } catch (err) {
    // the parser's own refusals (nesting past MAX_XML_DEPTH) are the feed's fault, said as such
    const message = (err as Error).message ?? String(err);
    throw new FeedFormatError(/nested tags/i.test(message) ? `the feed nests elements more than ${MAX_XML_DEPTH} deep (refused)` : `unreadable XML: ${message}`);
  }
}

/** A node's text: its own, its "#text", or its first item's. */
export function text(node: XmlNode): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') return text((node as XmlElement)['#text']);
  return '';
}

/** The node as one element (the first, where a name repeated), or undefined for text. */
export function element(node: XmlNode): XmlElement | undefined {
  if (Array.isArray(node)) return element(node[0]);
  return node !== null && typeof node === 'object' ? (node as XmlElement) : undefined;
}

/** Every item of a repeated child, each as an element; text items become empty elements (so each still counts). */
export function elements(node: XmlNode): XmlElement[] {
  const items: readonly XmlNode[] = node === undefined ? [] : Array.isArray(node) ? node : [node];
  return items.map((item) => element(item) ?? {});
}

/** An attribute of the (first) element, as text. */
export function attr(node: XmlNode, name: string): string | undefined {
  const value = element(node)?.[`@_${name}`];
  return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
}

/** A link of the feed made absolute against `base`; only http(s) URLs are kept (core/urls.ts). */
export const absolute = (url: string | undefined, base: string): string | undefined => httpUrl(url, base);


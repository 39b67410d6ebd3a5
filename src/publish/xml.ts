/** Text made safe for XML 1.0 and HTML: the one place where hostile characters are handled. */

// XML 1.0 forbids these code points even when escaped or inside CDATA (C0 controls other than tab,
// newline and carriage return, U+FFFE/U+FFFF, and surrogate halves that are not part of a pair);
// neither `rss` nor `feed` removes them, and one of them makes a strict reader reject the whole feed.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes the characters XML 1.0 cannot carry; everything else is kept. */
export const xmlSafe = (s: string): string => s.replace(XML_ILLEGAL, '');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an XML or HTML element or attribute value (and drops XML-illegal characters). */
export const escapeXml = (s: string): string => xmlSafe(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** `name="value"` pairs, skipping undefined values; values are escaped. */
export function attrs(values: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out += ` ${k}="${escapeXml(String(v))}"`;
  return out;
}

/** An element with escaped text content. */
export const element = (name: string, text: string, attributes: Record<string, string | number | undefined> = {}): string =>
  `<${name}${attrs(attributes)}>${escapeXml(text)}</${name}>`;

/** RFC 3339 in UTC, whole seconds (what Atom, JSON Feed, ninjs and sitemaps expect). */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

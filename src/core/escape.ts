/**
 * Escaping text for XML 1.0 and HTML, in one place: one table of escapes, and the code points XML
 * cannot carry at all. Safe in element content and in quoted attribute values.
 */

// XML 1.0 forbids these code points even when escaped or inside CDATA (C0 controls other than tab,
// newline and carriage return, U+FFFE/U+FFFF, and surrogate halves that are not part of a pair);
// neither `rss` nor `feed` removes them, and one of them makes a strict reader reject the whole feed.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Removes the characters XML 1.0 cannot carry; everything else is kept. */
export const xmlSafe = (s: string): string => s.replace(XML_ILLEGAL, '');

/** Escapes text for an XML or HTML element or attribute value (and drops XML-illegal characters). */
export const escapeXml = (s: string): string => escapeHtml(xmlSafe(s));

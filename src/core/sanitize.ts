/**
 * The sanitizer: HTML reduced to an allowlist (sanitize-html), every text in Unicode NFC, every URL
 * made absolute, control characters dropped. Used where text enters (ingest) and again where it
 * leaves (publication), so one definition of "clean" holds at both ends. Pure functions.
 */
import sanitizeHtml from 'sanitize-html';
import { offThread, OFF_THREAD_CHARS } from './off-thread.ts';

const allowedTags = [
  'p', 'br', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'strong', 'b', 'em', 'i', 'u',
  'sub', 'sup', 'a', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'hr',
];

/** C0 controls other than tab and line breaks, DEL and noncharacters: illegal in XML, refused by PostgreSQL (NUL). */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
export const stripControls = (s: string) => s.replace(CONTROLS, '');

export function cleanHtml(html: string, baseUrl: string | undefined): string {
  const clean = sanitizeHtml(stripControls(html).normalize('NFC'), {
    allowedTags,
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    // script, style and the like lose their content too, not just their tags
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'form', 'select', 'button'],
    transformTags: {
      h1: 'h2',
      div: 'p',
      a: (tagName, attribs) => ({ tagName, attribs: withAbsolute(attribs, 'href', baseUrl) }),
      img: (tagName, attribs) => ({ tagName, attribs: withAbsolute(attribs, 'src', baseUrl) }),
    },
    // empty paragraphs go, and images whose only source was a refused URL (data:, javascript:)
    exclusiveFilter: (frame) => (frame.tag === 'p' && !frame.text.trim() && !frame.mediaChildren.length) || (frame.tag === 'img' && !frame.attribs.src),
  });
  // a <div> turned <p> around paragraphs would nest them
  return clean.replace(/<p>(\s*<p>)+/g, '<p>').replace(/<\/p>(\s*<\/p>)+/g, '</p>').trim();
}

function withAbsolute(attribs: Record<string, string>, key: string, baseUrl: string | undefined) {
  const value = attribs[key];
  if (!value) return attribs;
  try {
    return { ...attribs, [key]: new URL(value, baseUrl).toString() };
  } catch {
    const { [key]: _dropped, ...rest } = attribs;
    return rest;
  }
}

/** cleanHtml, off the event loop when the input is large (off-thread.ts): what ingest and publication use. */
export function cleanHtmlAsync(html: string, baseUrl: string | undefined): Promise<string> {
  if (html.length < OFF_THREAD_CHARS) return Promise.resolve(cleanHtml(html, baseUrl));
  return offThread<string>(new URL(import.meta.url), 'cleanHtml', [html, baseUrl]);
}

/** Plain text of a fragment, NFC, whitespace collapsed. */
export function plainText(html: string): string {
  return sanitizeHtml(stripControls(html).normalize('NFC'), { allowedTags: [], allowedAttributes: {}, nonTextTags: ['script', 'style', 'noscript'] })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

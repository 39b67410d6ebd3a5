/** Small builders of XML text for the feed renderers; escaping itself is core/escape.ts. */
import { escapeXml } from '../core/escape.ts';

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

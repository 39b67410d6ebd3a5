/**
 * Required terms where the provider cannot apply a glossary for the pair: before translation the
 * source term is replaced by its required rendering (with tag handling, inside an ignored <x> tag),
 * and after translation each required term is checked. Pure.
 */
import { createHash } from 'node:crypto';

export interface Term { source: string; target: string; variants: readonly string[] }

/** Order-independent hash of the live terms: a change means the provider's copy is stale. */
export function termsHash(terms: readonly Term[]): string {
  const lines = terms.map((t) => `${t.source}\t${t.target}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A term found only as a whole word (a letter or digit on either side does not match). */
function termPattern(terms: readonly Term[]): RegExp | undefined {
  if (!terms.length) return undefined;
  const alternatives = [...terms].sort((a, b) => b.source.length - a.source.length).map((t) => escapeRegExp(t.source));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}

export const PROTECT_OPEN = '⸨';
export const PROTECT_CLOSE = '⸩';

/** Replaces required source terms by their rendering, wrapped in ⸨…⸩ (turned into <x> or dropped). */
export function protectTerms(text: string, terms: readonly Term[]): string {
  const pattern = termPattern(terms);
  if (!pattern) return text;
  const byPattern = new Map(terms.map((t) => [t.source, t.target]));
  return text.replace(pattern, (m) => `${PROTECT_OPEN}${byPattern.get(m) ?? m}${PROTECT_CLOSE}`);
}

/** Terms whose source occurs in `source` but whose rendering (or a variant) is missing from `translated`. */
export function missingTerms(source: string, translated: string, terms: readonly Term[]): Term[] {
  const pattern = termPattern(terms);
  if (!pattern) return [];
  const present = new Set(source.match(pattern) ?? []);
  const lower = translated.toLocaleLowerCase();
  return terms.filter((t) => present.has(t.source) && ![t.target, ...t.variants].some((r) => lower.includes(r.toLocaleLowerCase())));
}

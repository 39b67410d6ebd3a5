/**
 * Topic slugs for per-topic feeds: a story's category (usually Vietnamese) turned into a short,
 * stable ASCII path segment, e.g. "Thời sự" → "thoi-su", "Đối ngoại" → "doi-ngoai".
 */
import { createHash } from 'node:crypto';

export function topicSlug(category: string): string | undefined {
  const name = category.normalize('NFC').trim();
  if (!name) return undefined;
  const ascii = name
    .replace(/[đĐ]/g, 'd') // đ is a letter of its own, not d plus a mark: NFD does not split it
    .normalize('NFD').replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  // a category in a script with no Latin transliteration here still gets a stable slug
  return ascii || `t-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
}

/** The i18next namespace of topic names, keyed by slug: locales/<lang>/topics.json. */
export const TOPICS_NAMESPACE = 'topics';

interface TopicResources { getResource(lng: string, ns: string, key: string): unknown }

/**
 * A topic's name in the audience's language (locales/<lang>/topics.json, by slug; "zh-Hans" reads
 * zh-Hans, then zh), or `fallback` (the category as the source wrote it) when that language has no
 * name for it. No other language is borrowed: an English name on a Lao page is no better.
 */
export function topicName(i18n: TopicResources, language: string, slug: string, fallback: string): string {
  for (const lng of [language, language.split('-')[0]!]) {
    const name = i18n.getResource(lng, TOPICS_NAMESPACE, slug);
    if (typeof name === 'string' && name) return name;
  }
  return fallback;
}

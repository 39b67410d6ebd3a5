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

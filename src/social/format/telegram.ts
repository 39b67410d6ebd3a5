/**
 * Telegram, HTML parse mode: the title in bold, the link behind a localized label. Limits apply
 * to the text after entity parsing (what the reader sees), counted here in UTF-16 code units as
 * Telegram's own offsets are: 1,024 for a photo's caption, 4,096 for a message. Everything we did
 * not write as a tag is escaped (&, <, >, and " inside attributes).
 */
import type { FormattedPost, PostContent } from './content.ts';
import { fitParts, hashtagLine } from './count.ts';

export const telegramCaptionLimit = 1024;
export const telegramMessageLimit = 4096;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Parts { title: string; summary: string; hashtags: string }

const blocks = (p: Parts, label: string) => [p.title, p.summary, label, p.hashtags].map((b) => b.trim()).filter(Boolean);

export function formatTelegram(content: PostContent, opts: { caption: boolean }): FormattedPost & { visibleText: string } {
  const limit = opts.caption ? telegramCaptionLimit : telegramMessageLimit;
  const label = content.strings.readMoreLabel;
  const visible = (p: Parts) => blocks(p, label).join('\n\n');
  const parts = fitParts({ title: content.title.trim(), summary: content.summary.trim(), hashtags: hashtagLine(content.hashtags) }, content.language, visible, (t) => t.length <= limit);
  const html = [
    parts.title ? `<b>${escapeHtml(parts.title)}</b>` : '',
    escapeHtml(parts.summary),
    `<a href="${escapeHtml(content.url)}">${escapeHtml(label)}</a>`,
    escapeHtml(parts.hashtags),
  ].filter(Boolean).join('\n\n');
  const visibleText = visible(parts);
  return { text: html, visibleText, length: visibleText.length, limit, unit: 'UTF-16 code units' };
}

/**
 * Stories given by a person (the desk's "New story" page) or a system (POST /api/v1/stories):
 * validated, cleaned and stored exactly like polled items, then handed on for translation.
 * Sending the same `id` (or `url`) again updates that story instead of adding another.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { textBounds } from '../core/bounds.ts';
import { httpUrl } from '../core/urls.ts';
import { InvalidInputError } from '../errors.ts';
import type { StoryRow } from '../store/schema.ts';
import { cleanItem, ItemRejectedError } from './clean.ts';
import { parseFeedDate } from './dates.ts';
import { intake, type IntakeDeps } from './intake.ts';

// the same guard as polled items (core/urls.ts), and the URL as it will be stored
const httpUrlField = z.string().max(2048).transform((u, ctx) => {
  const url = httpUrl(u);
  if (!url) ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
  return url ?? z.NEVER;
});

export const pushedStorySchema = z.strictObject({
  /** The sender's own id for the story; sending it again updates the story. */
  id: z.string().min(1).max(500).optional(),
  // the bounds of every story (core/bounds.ts); tags and entities are counted by cleanItem
  title: z.string().min(1).max(textBounds.title.chars),
  summary: z.string().max(textBounds.summary.chars).default(''),
  bodyHtml: z.string().max(textBounds.body.chars).default(''),
  url: httpUrlField.optional(),
  /** ISO 8601 or a Vietnamese date; without an offset it is Asia/Ho_Chi_Minh time. */
  publishedAt: z.string().max(100).optional(),
  /** Image URLs; the first is the lead image. */
  images: z.array(httpUrlField).max(20).default([]),
  category: z.string().max(200).optional(),
  priority: z.boolean().default(false),
  author: z.string().max(300).optional(),
  attribution: z.string().max(1000).optional(),
});

export type PushedStory = z.input<typeof pushedStorySchema>;

export interface AcceptedStory {
  outcome: 'new' | 'updated' | 'unchanged';
  story: StoryRow;
}

/**
 * Validates, cleans (sanitized HTML, NFC, absolute URLs) and stores one story with no source.
 * `pushedBy` names the person or token, kept on the story. Throws InvalidInputError (400) with a
 * readable message on bad input; stores nothing in that case.
 */
export async function acceptStory(deps: IntakeDeps, input: PushedStory, pushedBy?: string): Promise<AcceptedStory> {
  const parsed = pushedStorySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`${issue.path.join('.') || 'story'}: ${issue.message}`);
  }
  const s = parsed.data;
  let publishedAt: Date | undefined;
  if (s.publishedAt !== undefined) {
    publishedAt = parseFeedDate(s.publishedAt);
    if (!publishedAt) throw new InvalidInputError(`publishedAt: "${s.publishedAt}" is not a date (use ISO 8601, e.g. 2026-11-27T08:30:00+07:00)`);
  }
  const guid = `push:${s.id ?? s.url ?? randomUUID()}`;
  let clean;
  try {
    clean = await cleanItem({
      guid,
      url: s.url,
      title: s.title,
      summary: s.summary,
      bodyHtml: s.bodyHtml,
      author: s.author,
      category: s.category,
      imageUrl: s.images[0],
      publishedAt,
      attribution: s.attribution,
    }, s.url);
  } catch (err) {
    if (err instanceof ItemRejectedError) throw new InvalidInputError(err.message);
    throw err;
  }
  // images given explicitly count even when the body does not show them
  clean.imageUrls = [...new Set([...s.images, ...clean.imageUrls])];
  if (!clean.bodyHtml && !clean.summary) throw new InvalidInputError('a story needs a summary or a body');
  const { outcome, story } = await intake(deps, null, clean, { origin: 'push', priority: s.priority, pushedBy });
  return { outcome, story };
}

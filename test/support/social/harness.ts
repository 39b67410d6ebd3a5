/**
 * Social posting under test: a fresh database with published translations written directly,
 * channels from a real configuration file (zod defaults apply), the social service on a clock
 * the test moves, and the admin alerts collected.
 */
import sharp from 'sharp';
import type { Config } from '../../../src/config.ts';
import { createI18n } from '../../../src/i18n.ts';
import { createSocial, type Social } from '../../../src/social/service.ts';
import type { Db } from '../../../src/store/db.ts';
import { testLogger } from '../logger.ts';
import { writeTestConfig } from '../service.ts';

export const publicUrl = 'https://news.example.org';

export const testAudiences = [
  { id: 'en', language: 'en', provider: 'manual', timeZone: 'Europe/London' },
  { id: 'fr', language: 'fr', provider: 'manual', timeZone: 'Europe/Paris' },
  { id: 'vi', language: 'vi', provider: 'manual', timeZone: 'Asia/Ho_Chi_Minh' },
  { id: 'ja', language: 'ja', provider: 'manual', timeZone: 'Asia/Tokyo' },
];

export function socialConfig(channels: Record<string, unknown>[], env: Record<string, string> = {}, social: Record<string, unknown> = {}): Config {
  return writeTestConfig({
    audiences: testAudiences, channels, publishing: { publicUrl },
    social: { timeoutMs: 2000, sendingLeaseSeconds: 60, maxAttempts: 3, backoffSeconds: 30, ...social },
  }, env);
}

export class TestClock {
  constructor(public now: Date) {}
  readonly read = () => this.now;
  advance(ms: number) { this.now = new Date(this.now.getTime() + ms); }
}

export interface Harness { social: Social; alerts: { code: string; channelId: string; message: string }[] }

export async function startSocial(db: Db, config: Config, clock: TestClock, opts: { image?: Buffer | null } = {}): Promise<Harness> {
  const alerts: Harness['alerts'] = [];
  const social = await createSocial({
    db, log: testLogger, i18n: await createI18n(config.localesDir), clock: clock.read, publicUrl: config.publishing.publicUrl,
    audiences: config.audiences, channels: config.channels, credentials: config.channelCredentials, settings: config.social,
    loadImage: async () => opts.image ?? null, alert: (e) => alerts.push(e),
  });
  return { social, alerts };
}

let seq = 0;

/** A story and its translation for `audience`, published at `at` (or public from `publicFrom`). */
export async function seedPublished(db: Db, input: { audience: string; title: string; summary?: string; priority?: boolean; at: Date; publicFrom?: Date; imageUrl?: string }): Promise<number> {
  seq++;
  const story = await db.insertInto('stories').values({
    guid: `social-test-${seq}-${Math.random()}`, title: `Tin ${seq}`, summary: '', body_html: '<p>…</p>', content_hash: `hash-${seq}-${Math.random()}`,
    priority: input.priority ?? false, image_url: input.imageUrl ?? null, ingested_at: input.at, updated_at: input.at,
  }).returning('id').executeTakeFirstOrThrow();
  const t = await db.insertInto('translations').values({
    story_id: story.id, audience_id: input.audience, language: input.audience, state: 'published', provider: 'manual',
    title: input.title, summary: input.summary ?? '', body_html: '<p>…</p>', created_at: input.at, updated_at: input.at,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('publications').values({
    translation_id: t.id, audience_id: input.audience, title: input.title, summary: input.summary ?? '', body_html: '<p>…</p>',
    first_published_at: input.publicFrom ?? input.at, updated_at: input.at,
  }).execute();
  return t.id;
}

export async function withdraw(db: Db, translationId: number, at: Date): Promise<void> {
  await db.updateTable('publications').set({ withdrawn_at: at }).where('translation_id', '=', translationId).execute();
  await db.updateTable('translations').set({ state: 'withdrawn' }).where('id', '=', translationId).execute();
}

export function postsOf(db: Db, translationId?: number) {
  let q = db.selectFrom('social_posts').selectAll().orderBy('id');
  if (translationId !== undefined) q = q.where('translation_id', '=', translationId);
  return q.execute();
}

/** A 3000×2000 photo-like JPEG (noise, so it does not compress to nothing). */
export async function leadImage(width = 3000, height = 2000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg({ quality: 95 }).toBuffer();
}

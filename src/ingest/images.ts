/**
 * A story's images: the lead (position 0) and inline images are fetched through the guarded
 * fetcher with a size limit, checked by content (sharp reads the header; the declared type is not
 * trusted), stored once per sha-256 of their bytes, and turned into the variants feeds and social
 * cards need. A corrupt, oversized or unsupported image is recorded on the story and skipped.
 *
 * Variants live in PostgreSQL (bytea), not on disk: one durable store that every instance and every
 * backup sees; at ~100 KB a variant the table stays small next to the text it illustrates.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { imageVariants, type ImageVariant } from '../core/media.ts';
import { mediaPath } from '../core/urls.ts';
import { defineJob } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { recordIngestError } from '../store/sources.ts';
import type { Fetcher } from './fetch.ts';

const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);
/** More than this many images in one story are ignored (a gallery is not a news photo). */
const MAX_IMAGES_PER_STORY = 12;

export interface ImageDeps {
  db: Db;
  log: Logger;
  fetcher: Fetcher;
  ingest: Pick<Config['ingest'], 'maxImageBytes' | 'maxImagePixels' | 'timeoutMs' | 'maxRedirects'>;
}

export class ImageRejectedError extends Error {
  readonly code = 'image_rejected';
}

/** Fetches and stores each image of a story; never throws for a bad image. Safe to run twice. */
export async function collectImages(deps: ImageDeps, storyId: number, urls: readonly string[]): Promise<{ stored: number; rejected: number }> {
  let stored = 0;
  let rejected = 0;
  for (const [position, url] of urls.slice(0, MAX_IMAGES_PER_STORY).entries()) {
    try {
      const hash = await storeImage(deps, url);
      await deps.db.insertInto('story_images').values({ story_id: storyId, position, hash, source_url: url })
        .onConflict((oc) => oc.columns(['story_id', 'position']).doUpdateSet({ hash, source_url: url })).execute();
      stored++;
    } catch (err) {
      rejected++;
      const message = `image ${url} was skipped: ${(err as Error).message}`;
      deps.log.warn({ story_id: storyId, url, err: (err as Error).message }, 'image skipped');
      // on the story, and on its source's status too
      const story = await deps.db.selectFrom('stories').select('source_id').where('id', '=', storyId).executeTakeFirst().catch(() => undefined);
      await recordIngestError(deps.db, { storyId, sourceId: story?.source_id ?? null, url, code: 'image_rejected', message }).catch(() => {});
    }
  }
  return { stored, rejected };
}

async function storeImage(deps: ImageDeps, url: string): Promise<string> {
  const got = await deps.fetcher.fetchBytes(url, {
    timeoutMs: deps.ingest.timeoutMs, maxBodyBytes: deps.ingest.maxImageBytes, maxDecodedBytes: deps.ingest.maxImageBytes,
    maxRedirects: deps.ingest.maxRedirects, accept: 'image/avif, image/webp, image/jpeg, image/png, image/*;q=0.8',
  });
  if ('status' in got) throw new ImageRejectedError('the server answered 304 to an unconditional request');
  const hash = createHash('sha256').update(got.bytes).digest('hex');
  const known = await deps.db.selectFrom('images').select('hash').where('hash', '=', hash).executeTakeFirst();
  if (known) return hash;
  const variants = await renderVariants(got.bytes, deps.ingest.maxImagePixels);
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('images').values({ hash, source_url: url, mime: variants.mime, width: variants.width, height: variants.height, bytes: got.bytes.length })
      .onConflict((oc) => oc.column('hash').doNothing()).execute();
    for (const v of variants.outputs) {
      await trx.insertInto('image_variants').values({ hash, ...v }).onConflict((oc) => oc.columns(['hash', 'variant']).doNothing()).execute();
    }
  });
  return hash;
}

/** Pure apart from sharp: the checks and the variants of one image's bytes. */
export async function renderVariants(bytes: Buffer, maxPixels: number) {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxPixels }).metadata();
  } catch (err) {
    throw new ImageRejectedError(`not a readable image (${(err as Error).message})`);
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) throw new ImageRejectedError(`the image format "${meta.format ?? 'unknown'}" is not accepted`);
  if (!meta.width || !meta.height) throw new ImageRejectedError('the image has no size');
  if (meta.width * meta.height > maxPixels) throw new ImageRejectedError(`the image is ${meta.width}×${meta.height}, over the ${maxPixels}-pixel limit`);
  const outputs = [];
  for (const variant of Object.keys(imageVariants) as ImageVariant[]) {
    try {
      outputs.push(await renderVariant(bytes, variant, maxPixels));
    } catch (err) {
      throw new ImageRejectedError(`the image could not be decoded (${(err as Error).message})`);
    }
  }
  return { mime: `image/${meta.format}`, width: meta.width, height: meta.height, outputs };
}

async function renderVariant(bytes: Buffer, variant: ImageVariant, maxPixels: number) {
  const spec = imageVariants[variant];
  let pipeline = sharp(bytes, { limitInputPixels: maxPixels, animated: false }).rotate()
    .resize({ width: spec.width, height: spec.height, fit: spec.fit, withoutEnlargement: spec.fit === 'inside', position: 'attention' })
    .flatten({ background: '#ffffff' });
  pipeline = spec.format === 'webp' ? pipeline.webp({ quality: 80 }) : pipeline.jpeg({ quality: 82, mozjpeg: true });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { variant, mime: spec.mime, width: info.width, height: info.height, data };
}

/** The width and height a variant has (or will have) for an image whose large variant is `large`: for width/height attributes before it exists. */
export function variantSize(variant: ImageVariant, large: { width: number; height: number }): { width: number; height: number } {
  const spec = imageVariants[variant];
  if (spec.height !== undefined) return { width: spec.width, height: spec.height };
  const width = Math.min(spec.width, large.width);
  return { width, height: Math.max(1, Math.round((large.height * width) / large.width)) };
}

const deriving = new Map<string, Promise<{ mime: string; data: Buffer } | undefined>>();
/**
 * A variant an image stored before that variant existed lacks: made from its `large` variant, stored
 * (a second maker's insert is ignored), and returned; undefined when the image is unknown. Two
 * requests for the same missing variant in one process share one resize.
 */
export function deriveVariant(db: Db, hash: string, variant: ImageVariant): Promise<{ mime: string; data: Buffer } | undefined> {
  const key = `${hash}-${variant}`;
  let pending = deriving.get(key);
  if (!pending) {
    pending = (async () => {
      const large = await imageVariant(db, hash, 'large');
      if (!large) return undefined;
      const made = await renderVariant(large.data, variant, Number.MAX_SAFE_INTEGER);
      await db.insertInto('image_variants').values({ hash, ...made }).onConflict((oc) => oc.columns(['hash', 'variant']).doNothing()).execute();
      return { mime: made.mime, data: made.data };
    })().finally(() => deriving.delete(key));
    deriving.set(key, pending);
  }
  return pending;
}

export interface StoryImage {
  /** Public URL of the variant, served by GET /media/<hash>-<variant>.<ext>. */
  url: string;
  path: string;
  bytes: Buffer;
  size: number;
  mime: string;
  width: number;
  height: number;
  /** Where the image was fetched from. */
  sourceUrl: string;
}

/** The story's lead image (or the image at `position`) in one variant, or undefined when it has none. */
export async function storyImage(db: Db, storyId: number, opts: { variant?: ImageVariant; publicUrl?: string; position?: number } = {}): Promise<StoryImage | undefined> {
  const variant = opts.variant ?? 'card';
  const row = await db.selectFrom('story_images')
    .innerJoin('image_variants', 'image_variants.hash', 'story_images.hash')
    .select(['story_images.hash', 'story_images.source_url', 'image_variants.mime', 'image_variants.width', 'image_variants.height', 'image_variants.data'])
    .where('story_images.story_id', '=', storyId).where('story_images.position', '=', opts.position ?? 0)
    .where('image_variants.variant', '=', variant)
    .executeTakeFirst();
  if (!row) return undefined;
  const path = mediaPath(row.hash, variant);
  return { url: `${opts.publicUrl ?? ''}${path}`, path, bytes: row.data, size: row.data.length, mime: row.mime, width: row.width, height: row.height, sourceUrl: row.source_url };
}

/** One variant by hash, for GET /media; undefined when unknown. */
export async function imageVariant(db: Db, hash: string, variant: ImageVariant) {
  return db.selectFrom('image_variants').select(['mime', 'data']).where('hash', '=', hash).where('variant', '=', variant).executeTakeFirst();
}

/** The durable job that collects a story's images after it is stored. */
export function storyImagesJob(deps: ImageDeps) {
  return defineJob({
    name: 'ingest.story-images',
    payload: z.object({ storyId: z.number().int(), urls: z.array(z.string()).max(50) }),
    queue: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 10 * 60 },
    async handle({ storyId, urls }) {
      await collectImages(deps, storyId, urls);
    },
  });
}

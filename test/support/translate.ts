/**
 * Helpers for the machine-translation specs: stories written straight into a test schema, and the
 * translation deps built from a test config pointed at the DeepL test server.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/store/db.ts';
import type { StoryRow } from '../../src/store/schema.ts';
import { createTranslations } from '../../src/store/translations.ts';
import { Limiter } from '../../src/translate/batching.ts';
import { createTranslatorRegistry } from '../../src/translate/registry.ts';
import type { TranslateDeps } from '../../src/translate/service.ts';
import type { DeepLTestServer } from './deepl-server.ts';
import { testLogger } from './logger.ts';
import { writeTestConfig } from './service.ts';

let guid = 0;

export async function insertStory(db: Db, audiences: Config['audiences'], story: { title: string; summary?: string; body_html?: string; priority?: boolean }): Promise<StoryRow> {
  const row = await db.insertInto('stories').values({
    source_id: null, guid: `test-${process.pid}-${++guid}-${Date.now()}`, url: null, title: story.title, summary: story.summary ?? '',
    body_html: story.body_html ?? '', author: null, attribution: null, category: null, image_url: null, priority: story.priority ?? false,
    content_hash: createHash('sha256').update(`${story.title}${story.body_html}`).digest('hex'),
  }).returningAll().executeTakeFirstOrThrow();
  await createTranslations(db, row, audiences);
  return row;
}

export function translationConfig(deepl: DeepLTestServer, file: Record<string, unknown> = {}): Config {
  return writeTestConfig({
    audiences: [
      { id: 'en', language: 'en', provider: 'deepl', targetCode: 'EN-GB' },
      { id: 'fr', language: 'fr', provider: 'deepl', targetCode: 'FR', formality: 'prefer_more' },
      { id: 'zh', language: 'zh-Hans', provider: 'deepl', targetCode: 'ZH-HANS', formality: 'more' },
      { id: 'lo', language: 'lo', provider: 'manual' },
    ],
    ...file,
  }, { DEEPL_AUTH_KEY: 'test-key', DEEPL_SERVER_URL: deepl.url });
}

export function translateDeps(db: Db, config: Config, overrides: Partial<TranslateDeps> = {}): TranslateDeps {
  return {
    db, log: testLogger, audiences: config.audiences, chainFor: createTranslatorRegistry(config, testLogger).chainFor, sourceLanguage: 'vi',
    limiter: new Limiter(config.translation.concurrency), retry: { baseDelayMs: 5, maxAttempts: 3, quotaCheckMs: 50 },
    monthlyCharacterBudget: undefined, leaseMs: 5000, clock: () => new Date(), ...overrides,
  };
}

export const translateRequests = (deepl: DeepLTestServer) => deepl.requests.filter((r) => r.path === '/v2/translate');

/**
 * What the CLI does for machine translation: resume parked work by hand, import a glossary file,
 * export a pair's glossary. The CLI runs beside the service on the same database; resuming sends
 * the resume job, which the service's worker picks up.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import { defineJob, jobsSchemaOf, startJobQueue } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import type { DatabaseHandle } from '../store/db.ts';
import { formatGlossaryTsv, importTerms, listTerms, parseGlossaryTsv, type LanguagePair } from '../store/glossary.ts';
import { clearQuotaExhausted } from '../store/translation-usage.ts';
import { MIGRATION_LOCK } from '../store/migrate.ts';
import { TRANSLATE_RESUME } from './translate-resume.job.ts';

/** Clears every parked quota and budget wait and asks the service to send the work again. */
export async function resumeTranslation(database: DatabaseHandle, log: Logger): Promise<{ released: number }> {
  const { db } = database;
  const providers = await db.selectFrom('translation_provider_state').select('provider').where('quota_exhausted_since', 'is not', null).execute();
  for (const p of providers) await clearQuotaExhausted(db, p.provider);
  const released = await db.updateTable('translations').set({ mt_waiting: null }).where('mt_waiting', 'is not', null).executeTakeFirst();
  // send-only: the service's worker runs it (the handler here is never called)
  const jobs = await startJobQueue({
    connectionString: database.connectionString, schema: jobsSchemaOf(database), log, work: false, schemaLock: MIGRATION_LOCK,
    jobs: [defineJob({ name: TRANSLATE_RESUME, payload: z.object({ force: z.boolean().default(false) }), queue: { policy: 'short' }, handle: async () => {} })],
  });
  try {
    await jobs.send(TRANSLATE_RESUME, { force: true }, { singletonKey: 'force' });
  } finally {
    await jobs.stop();
  }
  return { released: Number(released.numUpdatedRows) };
}

/** `vi-en` or a file named vi-en.tsv → the pair. */
export function pairOf(name: string): LanguagePair {
  const m = /^([a-z]{2,3})-([a-z]{2,3})(?:\.tsv)?$/.exec(path.basename(name));
  if (!m) throw new InvalidInputError(`"${name}" does not name a language pair such as vi-en (or a file vi-en.tsv)`);
  return { sourceLanguage: m[1]!, targetLanguage: m[2]! };
}

export async function importGlossaryFile(database: DatabaseHandle, file: string, pairName?: string): Promise<{ added: number; updated: number; pair: LanguagePair }> {
  const pair = pairOf(pairName ?? file);
  const counts = await importTerms(database.db, pair, parseGlossaryTsv(await readFile(file, 'utf8')), 'cli', new Date());
  return { ...counts, pair };
}

export async function exportGlossary(database: DatabaseHandle, pairName: string): Promise<string> {
  return formatGlossaryTsv(await listTerms(database.db, pairOf(pairName)));
}

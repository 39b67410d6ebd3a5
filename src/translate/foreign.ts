/**
 * Foreign outlets' items into Vietnamese, for the desk to read: the same providers and segments as
 * stories, the other way round. Each provider of the monitoring chain is asked, through its own
 * discovery, whether it translates the pair (en → vi, zh → vi …); the first that does translates
 * the item. A translation for reading only: no review, no memory, no glossary, never published.
 *
 * Safe to run twice: an item whose current version is translated is left alone, and a translation
 * of a version the outlet has since changed is not stored (the newer version has its own hand-off).
 * Billed characters go to the usage row `monitoring` in the same transaction as the text.
 */
import type { MonitoringReason } from '../core/failure-reasons.ts';
import type { Logger } from '../log.ts';
import { inTransaction, type Db } from '../store/db.ts';
import { addUsage } from '../store/translation-usage.ts';
import { getForeignItem, recordVietnameseFailure, storeVietnamese } from '../ingest/foreign.ts';
import { batchTexts } from './batching.ts';
import { asProviderError } from './failures.ts';
import { rebuildBody, stripMarks, storySegments } from './segments.ts';
import type { Provider } from './translator.ts';

/** The usage account monitoring's translations are billed to (beside the audiences'). */
export const MONITORING_USAGE = 'monitoring';

export interface ForeignTranslateDeps {
  db: Db;
  log: Logger;
  /** The monitoring providers in order (configuration `monitoring.providers`). */
  chain: readonly Provider[];
  /** The provider's code for Vietnamese. */
  targetCodeOf(provider: Provider): string;
  clock(): Date;
}

export type ForeignTranslation = 'translated' | 'current' | 'untranslatable' | 'gone';

/** Throws a ProviderError when the item should be tried again later (rate limits, outages, quota). */
export async function translateForeignItem(deps: ForeignTranslateDeps, id: number): Promise<ForeignTranslation> {
  const item = await getForeignItem(deps.db, id);
  if (!item) return 'gone';
  if (item.vi_version === item.version) return 'current';
  const log = deps.log.child({ foreign_item_id: id, source_id: item.source_id });
  const segments = storySegments(item);
  const texts = segments.map((s) => stripMarks(s.text));
  // the providers' English for the log and the API, the same as codes for the desk's words
  const reasons: string[] = [];
  const codes: MonitoringReason[] = [];
  for (const provider of deps.chain) {
    const code = deps.targetCodeOf(provider);
    const pair = provider.capabilities ? await provider.capabilities(item.language, code) : { translatable: true };
    if (!pair.translatable) {
      reasons.push(`${provider.name} does not translate ${item.language} into ${code}`);
      codes.push({ code: 'unsupported_pair', provider: provider.name, language: item.language });
      continue;
    }
    let out: string[] | undefined;
    let billed = 0;
    let requests = 0;
    try {
      out = texts.map(() => '');
      const wanted = texts.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
      for (const batch of batchTexts(wanted.map((i) => texts[i]!), '', provider.limits)) {
        const indexes = batch.map((b) => wanted[b]!);
        const result = await provider.translate({ segments: indexes.map((i) => texts[i]!), sourceLanguage: item.language, targetCode: code });
        if (!result) { out = undefined; break; } // this provider drafts nothing by machine
        requests++;
        billed += result.billedCharacters;
        indexes.forEach((i, n) => { out![i] = result.segments[n] ?? ''; });
      }
    } catch (err) {
      const failure = asProviderError(err);
      if (failure.disposition !== 'give_up') throw failure;
      reasons.push(`${provider.name} refused it: ${failure.message}`);
      codes.push({ code: 'refused', provider: provider.name, reason: failure.reason });
      continue;
    }
    if (!out) continue;
    const [title = '', summary = '', ...body] = out;
    const stored = await inTransaction(deps.db, async (trx) => {
      const done = await storeVietnamese(trx, id, item.version, { title, summary, bodyHtml: rebuildBody(item.body_html, segments.slice(2), body), provider: provider.name }, deps.clock());
      if (done && requests) await addUsage(trx, deps.clock().toISOString().slice(0, 10), MONITORING_USAGE, billed, requests);
      return done;
    });
    log.info({ provider: provider.name, billed_characters: billed }, stored ? `translated "${item.title}" into Vietnamese` : 'the item changed while it was translated; its new text is translated next');
    return 'translated';
  }
  const reason = reasons.length ? reasons.join('; ') : 'no monitoring provider makes machine translations';
  await recordVietnameseFailure(deps.db, id, item.version, reason, codes.length ? codes : [{ code: 'no_provider' }]);
  log.warn({ reason }, `"${item.title}" has no Vietnamese translation`);
  return 'untranslatable';
}

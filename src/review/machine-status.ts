/**
 * What machine translation is doing with a translation that waits for a draft, as people are
 * told it in the queue and the editor: failed (given up, with its reason and attempts: an editor
 * can translate it again), retrying (a failed attempt; the next comes by itself), parked (the
 * provider's quota or the monthly budget is spent; when it resumes), or handed to a person (no
 * machine drafts this pair). Nothing to say while it simply waits its turn. Pure: read from the
 * columns translate/service.ts writes, never from the wording of the error.
 */
import type { MachineReason } from '../core/failure-reasons.ts';
import type { TranslationRow } from '../store/schema.ts';
import '../store/schema-translate.ts';
import { makesMachineDrafts } from '../core/audience.ts';

/** The reason as a code the desk words in the reader's language; absent on rows stored before codes (their `reason` text stands alone). */
export interface Because { code: MachineReason; values: Record<string, string | number> }

type Said = { reason: string; because?: Because };
export type MachineStatus =
  | ({ kind: 'failed'; attempts: number } & Said)
  | ({ kind: 'retrying'; attempts: number } & Said)
  | ({ kind: 'parked'; why: 'quota' } & Said)
  | ({ kind: 'parked'; why: 'budget'; resumesAt: Date } & Said)
  | ({ kind: 'person' } & Said);

export type MachineColumns = Pick<TranslationRow, 'state' | 'provider' | 'error' | 'mt_attempts' | 'mt_waiting'> & Partial<Pick<TranslationRow, 'error_code' | 'error_values'>>;

/** The budget counts characters per calendar month in UTC: it is renewed on the first of the next. */
export const nextMonthUtc = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

export function machineStatus(t: MachineColumns, maxAttempts: number, now: Date): MachineStatus | undefined {
  if (t.state !== 'queued' && t.state !== 'outdated') return undefined;
  const said: Said = { reason: t.error ?? '', ...(t.error_code ? { because: { code: t.error_code, values: t.error_values ?? {} } } : {}) };
  if (t.mt_waiting === 'quota') return { kind: 'parked', why: 'quota', ...said };
  if (t.mt_waiting === 'budget') return { kind: 'parked', why: 'budget', resumesAt: nextMonthUtc(now), ...said };
  if (!t.error) return undefined;
  if (!makesMachineDrafts(t.provider)) return { kind: 'person', ...said };
  const attempts = t.mt_attempts ?? 0;
  return attempts >= maxAttempts ? { kind: 'failed', attempts, ...said } : { kind: 'retrying', attempts, ...said };
}

/**
 * What machine translation is doing with a translation that waits for a draft, as people are
 * told it in the queue and the editor: failed (given up, with its reason and attempts: an editor
 * can translate it again), retrying (a failed attempt; the next comes by itself), parked (the
 * provider's quota or the monthly budget is spent; when it resumes), or handed to a person (no
 * machine drafts this pair). Nothing to say while it simply waits its turn. Pure: read from the
 * columns translate/service.ts writes, never from the wording of the error.
 */
import type { TranslationRow } from '../store/schema.ts';
import '../store/schema-translate.ts';
import { makesMachineDrafts } from '../core/audience.ts';

export type MachineStatus =
  | { kind: 'failed'; attempts: number; reason: string }
  | { kind: 'retrying'; attempts: number; reason: string }
  | { kind: 'parked'; why: 'quota'; reason: string }
  | { kind: 'parked'; why: 'budget'; reason: string; resumesAt: Date }
  | { kind: 'person'; reason: string };

export type MachineColumns = Pick<TranslationRow, 'state' | 'provider' | 'error' | 'mt_attempts' | 'mt_waiting'>;

/** The budget counts characters per calendar month in UTC: it is renewed on the first of the next. */
export const nextMonthUtc = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

export function machineStatus(t: MachineColumns, maxAttempts: number, now: Date): MachineStatus | undefined {
  if (t.state !== 'queued' && t.state !== 'outdated') return undefined;
  const reason = t.error ?? '';
  if (t.mt_waiting === 'quota') return { kind: 'parked', why: 'quota', reason };
  if (t.mt_waiting === 'budget') return { kind: 'parked', why: 'budget', reason, resumesAt: nextMonthUtc(now) };
  if (!t.error) return undefined;
  if (!makesMachineDrafts(t.provider)) return { kind: 'person', reason };
  const attempts = t.mt_attempts ?? 0;
  return attempts >= maxAttempts ? { kind: 'failed', attempts, reason } : { kind: 'retrying', attempts, reason };
}

/**
 * Where the monthly character budgets stand this month (UTC): the ceiling over all audiences
 * (translation.monthlyCharacterBudget) and each audience's own, with their level (core/budget.ts)
 * — what the planning page and the dashboard warn with, at 80 % and 100 %.
 */
import { budgetLevel, type BudgetLevel } from '../core/budget.ts';
import type { Db } from '../store/db.ts';
import { billedThisMonthByAudience, monthStart } from '../store/translation-usage.ts';

export interface BudgetState {
  /** null: the ceiling over all audiences. */
  audienceId: string | null;
  monthlyCharacters: number;
  billed: number;
  level: BudgetLevel;
  /** "2026-12": the month counted. */
  month: string;
}

export async function budgetStates(db: Db, at: Date, ceiling: number | undefined, own: readonly { audienceId: string; monthlyCharacters: number }[]): Promise<BudgetState[]> {
  if (ceiling === undefined && !own.length) return [];
  const billed = await billedThisMonthByAudience(db, at);
  const month = monthStart(at).slice(0, 7);
  const states: BudgetState[] = [];
  if (ceiling !== undefined) {
    const all = [...billed.values()].reduce((s, n) => s + n, 0);
    states.push({ audienceId: null, monthlyCharacters: ceiling, billed: all, level: budgetLevel(all, ceiling), month });
  }
  for (const b of own) {
    const n = billed.get(b.audienceId) ?? 0;
    states.push({ audienceId: b.audienceId, monthlyCharacters: b.monthlyCharacters, billed: n, level: budgetLevel(n, b.monthlyCharacters), month });
  }
  return states;
}

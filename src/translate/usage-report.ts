/** What machine translation cost this month, what the memory saved, and whether work is parked. */
import type { Db } from '../store/db.ts';
import { getProviderState, monthStart, usageSince } from '../store/translation-usage.ts';

export interface UsageReportDeps {
  db: Db;
  clock(): Date;
  monthlyCharacterBudget: number | undefined;
  providers: readonly string[];
}

export async function usageReport(deps: UsageReportDeps) {
  const now = deps.clock();
  // the month's days, the parked drafts and each provider's state side by side
  const [days, parked, providers] = await Promise.all([
    usageSince(deps.db, monthStart(now)),
    deps.db.selectFrom('translations').select(['mt_waiting', (eb) => eb.fn.countAll<string>().as('n')])
      .where('mt_waiting', 'is not', null).groupBy('mt_waiting').execute(),
    Promise.all(deps.providers.map(async (name) => {
      const s = await getProviderState(deps.db, name);
      return {
        provider: name,
        quotaExhausted: !!s?.quota_exhausted_since, quotaExhaustedSince: s?.quota_exhausted_since ?? null, lastError: s?.last_error ?? null,
        characterCount: s?.character_count == null ? null : Number(s.character_count), characterLimit: s?.character_limit == null ? null : Number(s.character_limit),
        checkedAt: s?.checked_at ?? null,
      };
    })),
  ]);
  const sum = (rows: typeof days, key: 'billedCharacters' | 'requests' | 'memoryHits' | 'memoryCharactersSaved') => rows.reduce((s, r) => s + r[key], 0);
  const audiences = [...new Set(days.map((d) => d.audienceId))].sort().map((audience) => {
    const rows = days.filter((d) => d.audienceId === audience);
    return { audience, billedCharacters: sum(rows, 'billedCharacters'), requests: sum(rows, 'requests'), memoryHits: sum(rows, 'memoryHits'), memoryCharactersSaved: sum(rows, 'memoryCharactersSaved') };
  });
  const billed = sum(days, 'billedCharacters');
  return {
    month: monthStart(now).slice(0, 7),
    billedCharacters: billed,
    budget: deps.monthlyCharacterBudget ?? null,
    budgetRemaining: deps.monthlyCharacterBudget === undefined ? null : Math.max(0, deps.monthlyCharacterBudget - billed),
    budgetExhausted: deps.monthlyCharacterBudget !== undefined && billed >= deps.monthlyCharacterBudget,
    memory: { hits: sum(days, 'memoryHits'), charactersSaved: sum(days, 'memoryCharactersSaved') },
    /** Set when admins must look: the provider's quota is gone or the budget is spent. */
    alert: providers.some((p) => p.quotaExhausted) ? 'quota_exhausted' : deps.monthlyCharacterBudget !== undefined && billed >= deps.monthlyCharacterBudget ? 'budget_exhausted' : null,
    parked: Object.fromEntries(parked.map((p) => [p.mt_waiting!, Number(p.n)])),
    providers,
    audiences,
    days,
  };
}

/**
 * A monthly character budget's state: under it, near it (80 % spent: editors are warned), or spent
 * (100 %: normal stories wait until the month turns or the budget is raised).
 */
export const budgetLevels = ['ok', 'near', 'spent'] as const;
export type BudgetLevel = (typeof budgetLevels)[number];

/** The share of a budget from which the desk warns. */
export const BUDGET_WARNING_SHARE = 0.8;

export function budgetLevel(billed: number, budget: number | undefined): BudgetLevel {
  if (budget === undefined) return 'ok';
  if (billed >= budget) return 'spent';
  return billed >= budget * BUDGET_WARNING_SHARE ? 'near' : 'ok';
}

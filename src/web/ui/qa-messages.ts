/** QA messages in the person's language: each issue's code and values through `qa.msg.*` in ui.json. */
import type { QaIssue } from '../../review/qa/index.ts';

export function localizeIssues<I extends QaIssue>(t: (key: string, options?: Record<string, unknown>) => string, issues: readonly I[]): Omit<I, 'code' | 'params'>[] {
  return issues.map(({ code, params, ...issue }) => ({ ...issue, message: code ? t(`qa.msg.${code}`, { ...params, defaultValue: issue.message }) : issue.message }));
}

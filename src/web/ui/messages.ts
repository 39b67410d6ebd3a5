/**
 * What a person reads when something is refused: a PersonError in their language (its key and
 * values), the common codes through `error.<code>`, and only then the English message.
 */
import { AppError, PersonError, StaleVersionError } from '../../errors.ts';

type T = (key: string, options?: Record<string, unknown>) => string;

// codes whose English message names nothing a person needs beyond what the page shows
const byCode = new Set(['forbidden', 'illegal_transition', 'not_found', 'stale_version']);

export function messageOf(t: T, err: AppError): string {
  if (err instanceof PersonError) return t(err.key, err.values);
  if (err instanceof StaleVersionError && err.seen === 'reviewed') return t('errors:changedSinceRead', { seen: err.basedOn, current: err.currentVersion });
  if (byCode.has(err.code)) return t(`errors:code.${err.code}`, { defaultValue: err.message });
  return err.message;
}

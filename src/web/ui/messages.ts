/**
 * What a person reads when something is refused: a PersonError in their language (its key and
 * values), the common codes through `error.<code>`, and only then the English message.
 */
import { AppError, PersonError } from '../../errors.ts';

type T = (key: string, options?: Record<string, unknown>) => string;

export function messageOf(t: T, err: AppError): string {
  if (err instanceof PersonError) return t(err.key, err.values);
  return err.message;
}

/** JSON columns are read through a zod schema: the row's shape is checked once, where it is read. */
import type { z } from 'zod';

/** The column's value as its schema reads it (defaults filled in); a value that does not fit is a bug (500), not bad input. */
export function readJson<T extends z.ZodType>(schema: T, value: unknown, column: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${column} holds a value that does not fit its schema: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

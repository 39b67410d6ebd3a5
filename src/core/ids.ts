/**
 * The range of every id and version we store (PostgreSQL `integer`): a number from outside is
 * checked against it before it reaches a query, so 2^31 is "no such thing" or "invalid", never the
 * database's "out of range for type integer". Pure.
 */
export const MAX_ID = 2_147_483_647;

/** A whole number from 1 to MAX_ID: a row's id or a version that may exist. */
export const isStoredId = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_ID;

/**
 * How many failed sign-ins the desk lets through, counted two ways at once:
 * - per account: after `accountAttempts` failures on one username within the window, that account
 *   is locked for the window, from every address (the right password included), so guessing one
 *   person's password from many addresses gets nowhere;
 * - per address: after `addressAttempts` failures from one address within the window, that address
 *   is refused for the window, so one address cannot try a few passwords on every account.
 * The address limit is the higher one: people behind one office address keep signing in while one
 * account is being guessed, since a locked account's refused attempts are not checked and not counted.
 * A success clears its account's failures. State is kept in this process (one instance's count);
 * times come from the given clock. Keys are bounded: when full, entries whose window is over go, then the oldest.
 */
import type { Clock } from '../../core/clock.ts';

export interface LoginLimitOptions {
  accountAttempts: number;
  addressAttempts: number;
  windowMinutes: number;
  /** At most this many accounts and addresses are remembered (failures only). */
  maxKeys?: number;
}

export type LoginRefusal = { by: 'account' | 'address'; retryAfterSeconds: number };

interface Count { failures: number; since: number; lockedUntil: number }

export class LoginLimit {
  private readonly counts = new Map<string, Count>();
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(private readonly options: LoginLimitOptions, private readonly clock: Clock) {
    this.windowMs = options.windowMinutes * 60_000;
    this.maxKeys = options.maxKeys ?? 50_000;
  }

  /** Whether a sign-in for this username from this address may be checked at all (before the password). */
  refusal(username: string, address: string): LoginRefusal | undefined {
    const now = this.clock().getTime();
    for (const [by, key] of [['account', accountKey(username)], ['address', addressKey(address)]] as const) {
      const c = this.counts.get(key);
      if (c && c.lockedUntil > now) return { by, retryAfterSeconds: Math.ceil((c.lockedUntil - now) / 1000) };
    }
    return undefined;
  }

  failed(username: string, address: string): void {
    this.count(accountKey(username), this.options.accountAttempts);
    this.count(addressKey(address), this.options.addressAttempts);
  }

  succeeded(username: string): void {
    this.counts.delete(accountKey(username));
  }

  /** Forgets what no longer matters (windows and locks over); when nothing has, the oldest entry. */
  private prune(now: number): void {
    for (const [key, c] of this.counts) if (c.lockedUntil <= now && now - c.since >= this.windowMs) this.counts.delete(key);
    if (this.counts.size >= this.maxKeys) this.counts.delete(this.counts.keys().next().value!);
  }

  private count(key: string, limit: number): void {
    const now = this.clock().getTime();
    let c = this.counts.get(key);
    if (!c || now - c.since >= this.windowMs) {
      c = { failures: 0, since: now, lockedUntil: 0 };
      this.counts.delete(key); // re-inserted last: the Map's order is the age order pruning uses
      if (this.counts.size >= this.maxKeys) this.prune(now);
      this.counts.set(key, c);
    }
    c.failures += 1;
    if (c.failures >= limit) {
      c.lockedUntil = now + this.windowMs;
      c.failures = 0;
      c.since = c.lockedUntil;
    }
  }
}

// trimmed as the users table compares them, and case-folded so "Thu" and "thu" share one count
const accountKey = (username: string) => `account:${username.trim().normalize('NFC').toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

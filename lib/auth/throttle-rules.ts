// Sign-in back-off, as pure rules: how many failures are free, and how long each lock lasts.
// One definition, used by lib/auth/throttle.ts (IO) and documented in docs/security.md.

export interface ThrottleRule {
  /** Failures allowed before the first lock. */
  freeFailures: number;
  /** Length of the first lock; each further failure doubles it. */
  baseLockMs: number;
  maxLockMs: number;
  /** A counter whose last failure is older than this starts again from zero. */
  forgetAfterMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { freeFailures: 5, baseLockMs: 30_000, maxLockMs: 60 * 60_000, forgetAfterMs: 24 * 60 * 60_000 };
/** One address may try several accounts (a shared office NAT), so it gets more room. */
export const ADDRESS_RULE: ThrottleRule = { freeFailures: 20, baseLockMs: 60_000, maxLockMs: 60 * 60_000, forgetAfterMs: 24 * 60 * 60_000 };

/** The lock that follows the n-th consecutive failure (null: no lock yet). */
export function lockAfter(rule: ThrottleRule, failures: number, now: Date): Date | null {
  if (failures < rule.freeFailures) return null;
  const ms = Math.min(rule.maxLockMs, rule.baseLockMs * 2 ** Math.min(30, failures - rule.freeFailures));
  return new Date(now.getTime() + ms);
}

/** Whole seconds until a lock ends (at least 1 while it holds). */
export function retryAfterSeconds(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

export function addressKey(address: string): string {
  return `ip:${address}`;
}

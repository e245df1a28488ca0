// Sign-in throttling, kept in the database so it holds across restarts and processes.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { authThrottle } from '@/db/schema';
import { ACCOUNT_RULE, ADDRESS_RULE, accountKey, addressKey, lockAfter, retryAfterSeconds, type ThrottleRule } from './throttle-rules';

function keysOf(email: string, address: string | null): Array<{ key: string; rule: ThrottleRule }> {
  const keys = [{ key: accountKey(email), rule: ACCOUNT_RULE }];
  if (address) keys.push({ key: addressKey(address), rule: ADDRESS_RULE });
  return keys;
}

export interface Lock {
  scope: 'account' | 'address';
  retryAfter: number;
}

/** The lock in force for this account or address, if any (the longer one wins). */
export async function currentLock(db: Queryable, email: string, address: string | null, now = new Date()): Promise<Lock | null> {
  const keys = keysOf(email, address).map((k) => k.key);
  const rows = await db.select().from(authThrottle).where(inArray(authThrottle.key, keys));
  let best: Lock | null = null;
  for (const r of rows) {
    if (!r.lockedUntil || r.lockedUntil <= now) continue;
    const lock: Lock = { scope: r.key.startsWith('ip:') ? 'address' : 'account', retryAfter: retryAfterSeconds(r.lockedUntil, now) };
    if (!best || lock.retryAfter > best.retryAfter) best = lock;
  }
  return best;
}

/** Counts a failure against the account and the address; answers the lock it starts, if any. */
export async function recordFailure(db: Queryable, email: string, address: string | null, now = new Date()): Promise<Lock | null> {
  let worst: Lock | null = null;
  for (const { key, rule } of keysOf(email, address)) {
    const forgetBefore = new Date(now.getTime() - rule.forgetAfterMs);
    const [row] = await db
      .insert(authThrottle)
      .values({ key, failures: 1, lastFailureAt: now })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: {
          failures: sql`CASE WHEN ${authThrottle.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz THEN 1 ELSE ${authThrottle.failures} + 1 END`,
          lastFailureAt: now,
        },
      })
      .returning({ failures: authThrottle.failures });
    const until = lockAfter(rule, row!.failures, now);
    if (until) {
      await db.update(authThrottle).set({ lockedUntil: until }).where(eq(authThrottle.key, key));
      const lock: Lock = { scope: key.startsWith('ip:') ? 'address' : 'account', retryAfter: retryAfterSeconds(until, now) };
      if (!worst || lock.retryAfter > worst.retryAfter) worst = lock;
    }
  }
  return worst;
}

/** A successful sign-in clears the account's counter (the address keeps its own). */
export async function clearAccount(db: Queryable, email: string): Promise<void> {
  await db.delete(authThrottle).where(eq(authThrottle.key, accountKey(email)));
}

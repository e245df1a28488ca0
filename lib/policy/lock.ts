// Policy changes and sign-off writes serialise on one advisory lock: whoever stores a change's
// required and valid approvals holds it shared (refreshSignOff), a policy change holds it
// exclusively. So a sign-off computed under the old policy is either committed before the
// policy change re-weighs every open change, or computed after it under the new one — never
// stored stale. The lock is taken after the change row locks in both, so they cannot deadlock.
import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';

export const POLICY_LOCK_KEY = 7364041;

export async function lockPolicyShared(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${POLICY_LOCK_KEY})`);
}

export async function lockPolicyExclusive(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${POLICY_LOCK_KEY})`);
}

// The database itself refuses wrong states, on PGlite and on PostgreSQL alike.
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { approvals, auditEvents, changes, people, revisions } from '@/db/schema';
import { submitChange } from '@/lib/changes/submit';
import { SubmitChangeInput } from '@/lib/changes/schema';
import { pgErrorOf } from '@/lib/errors';
import { describeEachDb, uid } from '../support/db';

const DIFF = `diff --git a/README.md b/README.md
index 3b18e51..a9c4f2d 100644
--- a/README.md
+++ b/README.md
@@ -1,3 +1,3 @@
 # Store locator
-Find the nearest shop.
+Find the nearest store.
 See docs/ for more.
`;

async function expectDbError(p: Promise<unknown>): Promise<ReturnType<typeof pgErrorOf>> {
  try {
    await p;
  } catch (err) {
    const e = pgErrorOf(err);
    expect(e, `expected a database error, got ${String(err)}`).not.toBeNull();
    return e;
  }
  throw new Error('expected the database to refuse this write');
}

describeEachDb('database constraints', ({ handle }) => {
  async function freshChange() {
    const db = handle().db;
    const [author] = await db.select().from(people).where(eq(people.isBot, false)).limit(1);
    const r = await submitChange(
      db,
      SubmitChangeInput.parse({ externalId: `acme/test#${uid()}`, title: 'test', author: author!.handle, services: ['store-locator'], diff: DIFF, environment: 'production' }),
      { personId: null, label: 'test' },
    );
    const [change] = await db.select().from(changes).where(eq(changes.id, r.id));
    return change!;
  }

  async function approverFor(authorId: number) {
    const db = handle().db;
    const [p] = await db
      .select()
      .from(people)
      .where(and(eq(people.isBot, false), sql`${people.level} >= 7`, sql`${people.id} <> ${authorId}`, eq(people.role, 'senior')))
      .limit(1);
    return p!;
  }

  it('refuses a second approval by the same person on the same revision', async () => {
    const db = handle().db;
    const change = await freshChange();
    const approver = await approverFor(change.authorId);
    const row = { changeId: change.id, revisionId: change.currentRevisionId!, personId: approver.id, decision: 'approve' };
    await db.insert(approvals).values(row);
    const err = await expectDbError(db.insert(approvals).values(row));
    expect(err!.code).toBe('23505');
    const rows = await db.select().from(approvals).where(and(eq(approvals.changeId, change.id), eq(approvals.personId, approver.id)));
    expect(rows).toHaveLength(1);
  });

  it('refuses an approval by the author, by a bot, or on a revision that is not current', async () => {
    const db = handle().db;
    const change = await freshChange();
    const base = { changeId: change.id, revisionId: change.currentRevisionId!, decision: 'approve' };
    expect((await expectDbError(db.insert(approvals).values({ ...base, personId: change.authorId })))!.message).toContain('author_cannot_approve');
    const [bot] = await db.select().from(people).where(eq(people.isBot, true)).limit(1);
    expect((await expectDbError(db.insert(approvals).values({ ...base, personId: bot!.id })))!.message).toContain('bot_cannot_approve');
    const [rev2] = await db.insert(revisions).values({ changeId: change.id, number: 2, sha: 'a'.repeat(64) }).returning();
    const approver = await approverFor(change.authorId);
    expect((await expectDbError(db.insert(approvals).values({ ...base, revisionId: rev2!.id, personId: approver.id })))!.message).toContain('stale_revision');
  });

  it('refuses an approval that points at another change’s revision', async () => {
    const db = handle().db;
    const a = await freshChange();
    const b = await freshChange();
    const approver = await approverFor(a.authorId);
    const err = await expectDbError(db.insert(approvals).values({ changeId: a.id, revisionId: b.currentRevisionId!, personId: approver.id, decision: 'approve' }));
    expect(['23503', '23514']).toContain(err!.code);
  });

  it('refuses a reject without a comment, bad enums and out-of-range levels', async () => {
    const db = handle().db;
    const change = await freshChange();
    const approver = await approverFor(change.authorId);
    expect((await expectDbError(db.insert(approvals).values({ changeId: change.id, revisionId: change.currentRevisionId!, personId: approver.id, decision: 'reject', comment: '  ' })))!.code).toBe('23514');
    expect((await expectDbError(db.update(changes).set({ status: 'merged' }).where(eq(changes.id, change.id))))!.code).toBe('23514');
    expect((await expectDbError(db.update(changes).set({ aiLevel: 'vibes' }).where(eq(changes.id, change.id))))!.code).toBe('23514');
    expect((await expectDbError(db.insert(people).values({ handle: uid('p'), name: 'X', level: 11, role: 'senior' })))!.code).toBe('23514');
    expect((await expectDbError(db.insert(people).values({ handle: uid('p'), name: 'X', level: 7, role: 'wizard' })))!.code).toBe('23514');
  });

  it('keeps the audit trail append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const db = handle().db;
    const [last] = await db.select().from(auditEvents).orderBy(sql`id desc`).limit(1);
    expect(last).toBeDefined();
    await expectDbError(db.update(auditEvents).set({ action: 'tampered' }).where(eq(auditEvents.id, last!.id)));
    await expectDbError(db.delete(auditEvents).where(eq(auditEvents.id, last!.id)));
    await expectDbError(db.execute(sql`truncate audit_events`));
    const [still] = await db.select().from(auditEvents).where(eq(auditEvents.id, last!.id));
    expect(still!.action).toBe(last!.action);
  });

  it('lets an approval change only by being withdrawn, once', async () => {
    const db = handle().db;
    const change = await freshChange();
    const approver = await approverFor(change.authorId);
    const [a] = await db.insert(approvals).values({ changeId: change.id, revisionId: change.currentRevisionId!, personId: approver.id, decision: 'approve' }).returning();
    await expectDbError(db.update(approvals).set({ decision: 'reject', comment: 'changed my mind' }).where(eq(approvals.id, a!.id)));
    await db.update(approvals).set({ withdrawnAt: new Date() }).where(eq(approvals.id, a!.id));
    await expectDbError(db.update(approvals).set({ withdrawnAt: new Date(0) }).where(eq(approvals.id, a!.id)));
    // Withdrawn, the person may decide again on the same revision.
    await db.insert(approvals).values({ changeId: change.id, revisionId: change.currentRevisionId!, personId: approver.id, decision: 'approve' });
  });
});

describe('drivers', () => {
  it('runs every data-layer suite on PostgreSQL too when DATABASE_URL is set', async () => {
    const { DRIVERS } = await import('../support/db');
    expect(DRIVERS).toEqual(process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
  });
});

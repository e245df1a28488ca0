// Shared by the sign-off tests: changes created through the one write path (submitChange),
// tokens for the demo people, and people of our own when a test needs an unusual one.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changes, people, type Change } from '@/db/schema';
import { SubmitChangeInput } from '@/lib/changes/schema';
import { submitChange } from '@/lib/changes/submit';
import { GET as gateRoute } from '@/app/api/v1/gate/route';
import { POST as approveRoute } from '@/app/api/v1/changes/[id]/approvals/route';
import { uid } from '../support/db';
import { call, tokenFor, type Json } from '../support/http';

export function diffFor(label: string): string {
  return `diff --git a/src/cart/limits.ts b/src/cart/limits.ts
index 3b18e51..a9c4f2d 100644
--- a/src/cart/limits.ts
+++ b/src/cart/limits.ts
@@ -1,4 +1,4 @@
 // Cart limits
-export const MAX_ITEMS = 50;
+export const MAX_ITEMS = 60; // ${label}
 export const MAX_QUANTITY = 10;
 export const CURRENCY = 'EUR';
`;
}

export interface ChangeOpts {
  author?: string;
  coAuthors?: string[];
  services?: string[];
  preDeploy?: boolean | null;
  environment?: string;
  ai?: { level: 'none' | 'assisted' | 'generated' | 'agent'; tool?: string };
  externalId?: string;
  label?: string;
  /** Who submitted it (recorded as the change's submitter); by default a trusted internal path. */
  submitter?: string;
}

export interface TestChange {
  id: number;
  externalId: string;
  sha: string;
}

/** A Tier-1 production change on checkout by kchen, validated before deploy, unless told otherwise. */
export async function newChange(db: Db, o: ChangeOpts = {}): Promise<TestChange> {
  const externalId = o.externalId ?? `acme/checkout#${uid('so')}`;
  const r = await submitChange(
    db,
    SubmitChangeInput.parse({
      externalId,
      title: `Raise the cart limit (${o.label ?? externalId})`,
      author: o.author ?? 'kchen',
      coAuthors: o.coAuthors ?? [],
      services: o.services ?? ['checkout'],
      kind: 'code',
      ai: o.ai ?? { level: 'assisted', tool: 'copilot' },
      environment: o.environment ?? 'production',
      validation: o.preDeploy === null ? undefined : { preDeploy: o.preDeploy ?? true },
      diff: diffFor(o.label ?? externalId),
    }),
    o.submitter ? { personId: await personId(db, o.submitter), label: o.submitter } : { personId: null, label: 'test' },
    o.submitter ? { submittedBy: await personId(db, o.submitter) } : {},
  );
  return { id: r.id, externalId, sha: r.revision.sha };
}

async function personId(db: Db, handle: string): Promise<number> {
  const [p] = await db.select({ id: people.id }).from(people).where(eq(people.handle, handle));
  if (!p) throw new Error(`no person ${handle}`);
  return p.id;
}

/** A new revision of the same change (new content): earlier sign-offs are superseded. */
export async function reviseChange(db: Db, c: TestChange, o: ChangeOpts = {}): Promise<TestChange> {
  const [row] = await db.select().from(changes).where(eq(changes.id, c.id));
  const [author] = await db.select({ handle: people.handle }).from(people).where(eq(people.id, row!.authorId));
  const r = await submitChange(
    db,
    SubmitChangeInput.parse({
      externalId: c.externalId,
      title: row!.title,
      author: author!.handle,
      coAuthors: o.coAuthors ?? [],
      services: o.services ?? ['checkout'],
      kind: row!.kind,
      ai: { level: row!.aiLevel, tool: row!.aiTool },
      environment: row!.environment,
      validation: row!.preDeployValidation === null ? undefined : { preDeploy: row!.preDeployValidation },
      diff: diffFor(`${o.label ?? 'revised'} ${uid()}`),
    }),
    { personId: null, label: 'test' },
  );
  return { ...c, sha: r.revision.sha };
}

export async function getChange(db: Db, id: number): Promise<Change> {
  const [row] = await db.select().from(changes).where(eq(changes.id, id));
  return row!;
}

const tokenCache = new WeakMap<Db, Map<string, string>>();

/** One token per person and scope set per database (creating tokens appends audit events). */
export async function tokenOf(db: Db, handle: string, scopes: string[]): Promise<{ token: string }> {
  let m = tokenCache.get(db);
  if (!m) tokenCache.set(db, (m = new Map()));
  const key = `${handle}:${scopes.join(',')}`;
  if (!m.has(key)) m.set(key, (await tokenFor(db, handle, scopes)).token);
  return { token: m.get(key)! };
}

export async function askGate(db: Db, ref: string | number, environment = 'production'): Promise<Json> {
  const auth = await tokenOf(db, 'admin', ['gate:read']);
  const res = await call(gateRoute, `/api/v1/gate?change=${encodeURIComponent(String(ref))}&environment=${encodeURIComponent(environment)}`, { auth });
  if (res.status !== 200) throw new Error(`gate answered ${res.status}: ${res.text}`);
  return res.json;
}

export async function approve(db: Db, handle: string, c: TestChange, body: Partial<{ decision: string; comment: string; revisionSha: string }> = {}) {
  const auth = await tokenOf(db, handle, ['approve']);
  return call(approveRoute, `/api/v1/changes/${c.id}/approvals`, {
    auth,
    params: { id: String(c.id) },
    body: { decision: 'approve', comment: 'Read the diff; looks right.', revisionSha: c.sha, ...body },
  });
}

/** A person of our own (levels and roles of the demo people are not ours to change). */
/** No team by default: our test people must not become owners other tests' reviewer suggestions count. */
export async function newPerson(db: Db, o: { level: number | null; role: string; isBot?: boolean; team?: string | null }): Promise<{ id: number; handle: string }> {
  const handle = uid(o.isBot ? 'bot' : 'p').replace(/[^A-Za-z0-9._-]/g, '');
  const [row] = await db
    .insert(people)
    .values({ handle, name: `Test ${handle}`, level: o.level, role: o.role, isBot: o.isBot ?? false, team: o.team ?? null, email: o.isBot ? null : `${handle}@example.test` })
    .returning({ id: people.id, handle: people.handle });
  return row!;
}

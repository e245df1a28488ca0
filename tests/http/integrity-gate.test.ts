// Issue 10, paths 7–11: the gate is bound to the commit deployed, break-glass to its revision,
// bypass is decided by re-evaluating sign-off when a deployment is recorded, deployment reports
// need a token bound to the change's repository, and attesting a report needs `attest`.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { POST as submitRoute } from '@/app/api/v1/changes/route';
import { POST as openGlassRoute } from '@/app/api/v1/changes/[id]/break-glass/route';
import { POST as deployRoute } from '@/app/api/v1/deployments/route';
import { GET as gateRoute } from '@/app/api/v1/gate/route';
import { POST as attestRoute } from '@/app/api/v1/reports/weekly/[isoWeek]/attestations/route';
import { POST as tokenRoute } from '@/app/api/v1/tokens/route';
import { deployments, gateDecisions, people } from '@/db/schema';
import { SubmitChangeInput } from '@/lib/changes/schema';
import { submitChange } from '@/lib/changes/submit';
import { describeEachDb, uid } from '../support/db';
import { call, sessionFor } from '../support/http';
import { approve, diffFor, getChange, newPerson, tokenOf, type TestChange } from './sign-off-fixtures';

const WHY = 'SEV-1 INC-2042: orders failing at checkout; this is the mitigation.';

function sha(): string {
  let s = '';
  while (s.length < 40) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

describeEachDb('integrity: gate bound to the artifact', ({ handle }) => {
  const db = () => handle().db;

  /** A Tier-1 change on acme/checkout at a known head commit. */
  async function atCommit(commit: string, c?: TestChange): Promise<TestChange & { commit: string }> {
    const externalId = c?.externalId ?? `acme/checkout#${uid('ig')}`;
    const r = await submitChange(
      db(),
      SubmitChangeInput.parse({
        externalId,
        repo: 'acme/checkout',
        title: `Raise the cart limit (${externalId})`,
        author: 'kchen',
        services: ['checkout'],
        kind: 'code',
        ai: { level: 'none' },
        environment: 'production',
        validation: { preDeploy: true },
        diff: diffFor(`${externalId} ${commit}`),
      }),
      { personId: null, label: 'test' },
      { headCommit: commit },
    );
    return { id: r.id, externalId, sha: r.revision.sha, commit };
  }

  async function approvedAt(commit = sha()) {
    const c = await atCommit(commit);
    expect((await approve(db(), 'mrossi', c)).status).toBe(201);
    expect((await approve(db(), 'sahmed', c)).status).toBe(201);
    return c;
  }

  async function gate(query: string) {
    const res = await call(gateRoute, `/api/v1/gate?${query}`, { auth: await tokenOf(db(), 'admin', ['gate:read']) });
    expect(res.status, res.text).toBe(200);
    return res.json;
  }

  async function deploy(auth: { token: string }, body: Record<string, unknown>) {
    return call(deployRoute, '/api/v1/deployments', { auth, body: { environment: 'production', status: 'succeeded', ...body } });
  }

  it('path 7: the submitter cannot attach another commit to approved content — re-sending it at a new commit is a new revision', async () => {
    const submitter = await tokenOf(db(), 'kchen', ['changes:write']);
    const externalId = `acme/checkout#${uid('commit')}`;
    const reviewed = sha();
    const body = {
      externalId, repo: 'acme/checkout', title: 'Raise the cart limit', services: ['checkout'], kind: 'code',
      environment: 'production', validation: { preDeploy: true }, diff: diffFor(externalId), commit: reviewed,
    };
    const first = await call(submitRoute, '/api/v1/changes', { auth: submitter, body });
    expect(first.status, first.text).toBe(201);
    const c = { id: first.json.id, externalId, sha: first.json.revision.sha };
    expect((await approve(db(), 'mrossi', c)).status).toBe(201);
    expect((await approve(db(), 'sahmed', c)).status).toBe(201);
    expect(await gate(`change=${c.id}&commit=${reviewed}`)).toMatchObject({ allowed: true, verified: true });
    // The same content sent again: nothing new, still allowed.
    const again = await call(submitRoute, '/api/v1/changes', { auth: submitter, body });
    expect(again.json.revision).toMatchObject({ number: 1, created: false });
    // The same diff "at" a commit nobody reviewed: a new revision, so the approvals stop counting.
    const smuggled = sha();
    const attached = await call(submitRoute, '/api/v1/changes', { auth: submitter, body: { ...body, commit: smuggled } });
    expect(attached.status, attached.text).toBe(200);
    expect(attached.json.revision).toMatchObject({ number: 2, created: true });
    const answer = await gate(`change=${c.id}&commit=${smuggled}`);
    expect(answer.allowed).toBe(false);
    expect(answer.approvals).toMatchObject({ valid: 0 });
    expect((await gate(`change=${c.id}&commit=${reviewed}`)).allowed).toBe(false);
  });

  it('path 7: allows only the head commit of the approved current revision, and says when the deploy is unverified', async () => {
    const c = await approvedAt();
    const other = sha();
    const wrong = await gate(`change=${c.id}&commit=${other}`);
    expect(wrong).toMatchObject({ allowed: false, verified: false });
    expect(wrong.reasons).toContain('commit_not_approved');
    expect(wrong.messages.join(' ')).toContain(other);
    expect(wrong.messages.join(' ')).toContain(c.commit);
    const [row] = await db().select().from(gateDecisions).where(eq(gateDecisions.id, wrong.decisionId));
    expect(row).toMatchObject({ allowed: false, commit: other });

    expect(await gate(`change=${c.id}&commit=${c.commit}`)).toMatchObject({ allowed: true, verified: true, reasons: ['approved'], commit: c.commit });
    const bare = await gate(`change=${c.id}`);
    expect(bare).toMatchObject({ allowed: true, verified: false, warnings: ['commit_unverified'] });

    // The commit alone finds the change in its repository; an unknown commit is blocked.
    expect(await gate(`repo=acme/checkout&commit=${c.commit}`)).toMatchObject({ allowed: true, verified: true, change: { id: c.id } });
    const unknown = await gate(`repo=acme/checkout&commit=${sha()}`);
    expect(unknown).toMatchObject({ allowed: false, reasons: ['unknown_commit'] });

    const bad = await call(gateRoute, `/api/v1/gate?change=${c.id}&commit=HEAD`, { auth: await tokenOf(db(), 'admin', ['gate:read']) });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'validation_failed']);
  });

  it('path 7: a new head commit with new content is not the approved one', async () => {
    const c = await approvedAt();
    const next = sha();
    await atCommit(next, c);
    const res = await gate(`change=${c.id}&commit=${c.commit}`);
    expect(res.allowed).toBe(false);
    expect(res.reasons).toContain('commit_not_approved');
    expect((await gate(`repo=acme/checkout&commit=${c.commit}`)).reasons).toContain('commit_not_approved');
  });

  it('path 8: break-glass stops allowing once the change has a new revision', async () => {
    const c = await atCommit(sha());
    const opened = await call(openGlassRoute, '/x', { auth: await tokenOf(db(), 'mgrant', ['approve']), params: { id: String(c.id) }, body: { justification: WHY } });
    expect(opened.status, opened.text).toBe(201);
    expect(await gate(`change=${c.id}&commit=${c.commit}`)).toMatchObject({ allowed: true, reasons: ['break_glass'] });
    const next = await atCommit(sha(), c);
    const res = await gate(`change=${c.id}&commit=${next.commit}`);
    expect(res.allowed).toBe(false);
    expect(res.reasons).toContain('break_glass_superseded');
  });

  it('path 9: a deployment after a reject is a bypass even though the gate allowed it before; the reasons are recorded', async () => {
    const c = await approvedAt();
    expect((await gate(`change=${c.id}&commit=${c.commit}`)).allowed).toBe(true);
    await approve(db(), 'jwhitaker', c, { decision: 'reject', comment: 'Wait: the batcher cannot take 60.' });
    const res = await deploy(await tokenOf(db(), 'admin', ['deployments:write']), { change: c.id, commit: c.commit });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ bypass: true, bypassReasons: ['rejected'], commit: c.commit });
    const [row] = await db().select().from(deployments).where(eq(deployments.id, res.json.id));
    expect(row).toMatchObject({ bypass: true, bypassReasons: ['rejected'], commit: c.commit });
  });

  it('path 9: deploying another commit than the approved one is a bypass; the approved one is not', async () => {
    const c = await approvedAt();
    const admin = await tokenOf(db(), 'admin', ['deployments:write']);
    // Sign-off alone is not enough: a deploy that never asked the gate went around it.
    const unasked = await deploy(admin, { change: c.id, commit: c.commit, externalId: uid('d') });
    expect(unasked.json).toMatchObject({ bypass: true, bypassReasons: ['gate_not_allowed'] });
    expect((await gate(`change=${c.id}&commit=${c.commit}`)).allowed).toBe(true);
    const other = await deploy(admin, { change: c.id, commit: sha(), externalId: uid('d') });
    expect(other.json).toMatchObject({ bypass: true, bypassReasons: ['commit_not_approved'] });
    const ok = await deploy(admin, { change: c.id, commit: c.commit, externalId: uid('d') });
    expect(ok.json).toMatchObject({ bypass: false, bypassReasons: [] });
  });

  it('path 10: reporting a deployment needs a token bound to the change’s repository, or an administrator', async () => {
    const c = await atCommit(sha());
    const engineer = await newPerson(db(), { level: 5, role: 'engineer' });
    const unbound = await deploy(await tokenOf(db(), engineer.handle, ['deployments:write']), { change: c.id, status: 'rolled_back' });
    expect([unbound.status, unbound.json.error?.code]).toEqual([403, 'repository_not_bound']);
    expect(unbound.json.error.message).toContain('acme/checkout');
    expect((await getChange(db(), c.id)).status).toBe('pending');

    const mint = async (repos: string[]) => {
      const res = await call(tokenRoute, '/api/v1/tokens', { auth: await tokenOf(db(), 'admin', ['admin']), body: { person: engineer.handle, scopes: ['deployments:write'], repos } });
      expect(res.status, res.text).toBe(201);
      expect(res.json.repos).toEqual(repos);
      return { token: res.json.token as string };
    };
    const elsewhere = await deploy(await mint(['acme/payments']), { change: c.id, status: 'rolled_back' });
    expect([elsewhere.status, elsewhere.json.error?.code]).toEqual([403, 'repository_not_bound']);
    const bound = await deploy(await mint(['Acme/Checkout']), { change: c.id, environment: 'staging', status: 'succeeded' });
    expect(bound.status, bound.text).toBe(201);
  });

  it('path 11: attesting a weekly report needs a signed-in session or the attest scope', async () => {
    const [vp] = await db().select().from(people).where(eq(people.handle, 'mgrant'));
    const week = '2026-W05';
    const path = `/api/v1/reports/weekly/${week}/attestations`;
    const gateOnly = await call(attestRoute, path, { params: { isoWeek: week }, auth: await tokenOf(db(), vp!.handle, ['gate:read']), body: {} });
    expect([gateOnly.status, gateOnly.json.error?.code]).toEqual([403, 'insufficient_scope']);
    const director = await newPerson(db(), { level: 9, role: 'director' });
    const scoped = await call(attestRoute, path, { params: { isoWeek: week }, auth: await tokenOf(db(), director.handle, ['attest']), body: {} });
    expect(scoped.status, scoped.text).toBe(201);
    const other = await newPerson(db(), { level: 9, role: 'director' });
    const session = await call(attestRoute, path, { params: { isoWeek: week }, auth: await sessionFor(db(), other.handle), body: {} });
    expect(session.status, session.text).toBe(201);
  });
});

// Deployments reported by pipelines: without an allowing gate decision for the current
// revision, a production deployment is recorded and flagged as a bypass.
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { POST as deployRoute } from '@/app/api/v1/deployments/route';
import { auditEvents, deployments } from '@/db/schema';
import { describeEachDb, uid } from '../support/db';
import { call } from '../support/http';
import { approve, askGate, getChange, newChange, reviseChange, tokenOf, type TestChange } from './sign-off-fixtures';

describeEachDb('deployments', ({ handle }) => {
  const db = () => handle().db;

  async function deploy(change: string | number, environment: string, status: string, externalId?: string) {
    const auth = await tokenOf(db(), 'admin', ['deployments:write']);
    return call(deployRoute, '/api/v1/deployments', { auth, body: { change, environment, status, ...(externalId ? { externalId } : {}) } });
  }

  async function approved(): Promise<TestChange> {
    const c = await newChange(db());
    await approve(db(), 'mrossi', c);
    await approve(db(), 'sahmed', c);
    return c;
  }

  it('flags a production deployment without any gate decision as a bypass, in the record and the audit trail', async () => {
    const c = await newChange(db());
    const res = await deploy(c.externalId, 'production', 'succeeded');
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ bypass: true, gateDecisionId: null, environment: 'production', status: 'succeeded' });
    const [row] = await db().select().from(deployments).where(eq(deployments.id, res.json.id));
    expect(row).toMatchObject({ bypass: true, changeId: c.id, source: 'api' });
    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'deployment.bypassed'), eq(auditEvents.subjectId, String(row!.id))));
    expect(ev!.payload).toMatchObject({ bypass: true, environment: 'production', status: 'succeeded', revision: 1, sha: c.sha });
    // Deployed all the same: the record says what happened, not what should have.
    expect((await getChange(db(), c.id)).status).toBe('deployed');
  });

  it('is a bypass when the last gate decision for the revision blocked it, even after an earlier allow', async () => {
    const c = await approved();
    expect((await askGate(db(), c.id)).allowed).toBe(true);
    await approve(db(), 'jwhitaker', c, { decision: 'reject', comment: 'Wait: the batcher cannot take 60.' });
    expect((await askGate(db(), c.id)).allowed).toBe(false);
    const res = await deploy(c.id, 'production', 'succeeded');
    expect(res.json.bypass).toBe(true);
  });

  it('is a bypass when the allowing decision was for an earlier revision', async () => {
    let c = await approved();
    expect((await askGate(db(), c.id)).allowed).toBe(true);
    c = await reviseChange(db(), c);
    const res = await deploy(c.id, 'production', 'succeeded');
    expect(res.json.bypass).toBe(true);
  });

  it('is not a bypass after an allowing gate decision: linked to it, and the change is deployed, then rolled back', async () => {
    const c = await approved();
    const gate = await askGate(db(), c.externalId);
    expect(gate.allowed).toBe(true);
    const res = await deploy(c.externalId, 'production', 'succeeded');
    expect(res.json).toMatchObject({ bypass: false, gateDecisionId: gate.decisionId });
    expect(await getChange(db(), c.id)).toMatchObject({ status: 'deployed' });
    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'deployment.recorded')));
    expect(ev!.payload).toMatchObject({ bypass: false, gateDecisionId: gate.decisionId });

    const back = await deploy(c.id, 'production', 'rolled_back');
    expect(back.json.bypass).toBe(false);
    expect(await getChange(db(), c.id)).toMatchObject({ status: 'rolled_back' });
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, reasons: ['change_closed'] });
  });

  it('never flags a non-production deployment, and a staging gate decision does not cover production', async () => {
    const c = await approved();
    await askGate(db(), c.id, 'staging');
    expect((await deploy(c.id, 'staging', 'succeeded')).json.bypass).toBe(false);
    expect((await getChange(db(), c.id)).status).toBe('approved');
    expect((await deploy(c.id, 'production', 'started')).json.bypass).toBe(true);
  });

  it('is idempotent by the pipeline’s deployment id: a retry records nothing new, a new status moves the same record', async () => {
    const c = await approved();
    await askGate(db(), c.id);
    const ext = `run-${uid()}`;
    const started = await deploy(c.id, 'production', 'started', ext);
    expect(started.status).toBe(201);
    expect((await getChange(db(), c.id)).status).toBe('approved');
    const retry = await deploy(c.id, 'production', 'started', ext);
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ id: started.json.id, duplicate: true });
    const done = await deploy(c.id, 'production', 'succeeded', ext);
    expect(done.json).toMatchObject({ id: started.json.id, status: 'succeeded', bypass: false });
    const rows = await db().select().from(deployments).where(eq(deployments.changeId, c.id));
    expect(rows).toHaveLength(1);
    expect((await getChange(db(), c.id)).status).toBe('deployed');
  });

  it('refuses an unknown change (404) and a bad status (422), recording nothing', async () => {
    const before = await db().$count(deployments);
    const unknown = await deploy(`acme/none#${uid()}`, 'production', 'succeeded');
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'not_found']);
    const c = await newChange(db());
    const bad = await deploy(c.id, 'production', 'exploded');
    expect([bad.status, bad.json.error.code]).toEqual([422, 'validation_failed']);
    expect(await db().$count(deployments)).toBe(before);
  });
});

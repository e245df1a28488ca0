// The weekly report: the four story incidents in their weeks with impact and cause, figures
// equal to SQL written in the test, Markdown and PDF, empty and malformed weeks, attestation,
// and a bypass created here showing up in the audit trail, compliance and the week's report.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as auditRoute } from '@/app/api/v1/audit/route';
import { POST as deploymentsRoute } from '@/app/api/v1/deployments/route';
import { POST as attestRoute } from '@/app/api/v1/reports/weekly/[isoWeek]/attestations/route';
import { GET as reportRoute } from '@/app/api/v1/reports/weekly/[isoWeek]/route';
import { queryRows } from '@/db/client';
import { getComplianceData } from '@/db/queries/compliance';
import { auditEvents, changes, reportAttestations } from '@/db/schema';
import { getPolicy } from '@/lib/policy';
import { createApiToken } from '@/lib/auth/tokens';
import { isoWeekOf, parseIsoWeek, shiftIsoWeek } from '@/lib/reports/iso-week';
import { describeEachDb } from '../support/db';
import { call, sessionFor, tokenFor, type Json } from '../support/http';
import { independentFigures, newChange, newPerson } from './leadership-helpers';

const STORY = [
  { week: '2025-W42', incident: 'MI-2025-014', cause: null, lostOrders: 385_000, minutes: 900 },
  { week: '2025-W50', incident: 'MI-2025-019', cause: 'acme/cost-explorer#', lostOrders: null, minutes: 780 },
  { week: '2026-W10', incident: 'MI-2026-004', cause: 'acme/delivery-promise#', lostOrders: 120_000, minutes: 570 },
  { week: '2026-W10', incident: 'MI-2026-005', cause: 'acme/config-service#', lostOrders: 6_300_000, minutes: 360 },
] as const;

describeEachDb('weekly report', ({ handle }) => {
  const get = async (week: string, query = '', auth?: { token: string } | { cookie: string }) => {
    const a = auth ?? (await tokenFor(handle().db, 'kchen', ['gate:read']));
    return call(reportRoute, `/api/v1/reports/weekly/${week}${query}`, { params: { isoWeek: week }, auth: a });
  };

  it('lists each story incident in its week with its impact and the change that caused it', async () => {
    for (const s of STORY) {
      const res = await get(s.week);
      expect(res.status).toBe(200);
      const inc = (res.json.incidents as Json[]).find((i) => i.externalId === s.incident);
      expect(inc, `${s.incident} in ${s.week}`).toBeTruthy();
      expect(inc.severity).toBe(1);
      expect(inc.minutes).toBe(s.minutes);
      expect(inc.lostOrders).toBe(s.lostOrders);
      expect(inc.impact.length).toBeGreaterThan(20);
      if (s.cause === null) {
        expect(inc.cause).toBeNull();
      } else {
        expect(inc.cause.externalId.startsWith(s.cause)).toBe(true);
        expect(inc.cause.deployedAt).not.toBeNull();
        expect(Date.parse(inc.cause.deployedAt)).toBeLessThanOrEqual(Date.parse(inc.startedAt));
      }
      // …and says so first, among what leaders must discuss.
      const text = (res.json.discuss as Json[]).map((d) => d.parts.map((p: Json) => (typeof p === 'string' ? p : p.text)).join(''));
      const line = text.find((t) => t.includes(s.incident));
      expect(line).toBeTruthy();
      expect(text.indexOf(line!)).toBeLessThan(2);
      if (s.cause) expect(line).toContain(s.cause);
      else expect(line).toContain('No change is linked');
      if (s.lostOrders) expect(line).toMatch(/orders lost/);
    }
  }, 120_000);

  it('says the config push deployed without an allowing gate decision, by whom and when', async () => {
    const res = await get('2026-W10');
    const inc = (res.json.incidents as Json[]).find((i) => i.externalId === 'MI-2026-005');
    expect(inc.cause.bypass).toBe(true);
    expect(inc.cause.deployedBy).toBeTruthy();
    expect(res.json.bypasses.some((b: Json) => b.change.externalId === inc.cause.externalId)).toBe(true);
    const agent = (await get('2025-W50')).json.incidents.find((i: Json) => i.externalId === 'MI-2025-019');
    expect(agent.cause.aiLevel).toBe('agent');
  });

  it('has the same figures as SQL written independently, for every story week and the week before', async () => {
    const weeks = [...new Set(STORY.map((s) => s.week))];
    for (const w of weeks) {
      const week = parseIsoWeek(w);
      const res = await get(w);
      for (const [fig, wk] of [
        [res.json.current, week],
        [res.json.previous, shiftIsoWeek(week, -1)],
      ] as const) {
        const x = await independentFigures(handle().db, wk.start, wk.end);
        expect(fig.changesShipped, `${wk.id} shipped`).toBe(x.shipped);
        expect(fig.deployments, `${wk.id} deployments`).toBe(x.deployments);
        expect(fig.byAi, `${wk.id} by AI`).toEqual(x.byAi);
        expect(fig.tier1, `${wk.id} tier-1`).toEqual({ changes: x.tier1, compliant: x.tier1Compliant });
        expect(fig.bypasses, `${wk.id} bypasses`).toBe(x.bypasses);
        expect(fig.incidents.total, `${wk.id} incidents`).toBe(x.incidents);
        expect(fig.incidents.bySeverity, `${wk.id} by severity`).toEqual(x.bySeverity);
        expect(fig.incidents.minutesOfImpact, `${wk.id} minutes`).toBe(x.minutes);
        expect(fig.incidents.lostOrders, `${wk.id} lost orders`).toBe(x.lostOrders);
        expect(fig.failedDeployments, `${wk.id} failed deployments`).toBe(x.failed);
        expect(fig.approvalLatency.count, `${wk.id} latency count`).toBe(x.latencyCount);
        expect(fig.approvalLatency.medianMinutes, `${wk.id} latency median`).toBe(x.latencyMedian);
      }
      // The week of the story has something to report in every figure the sentences lean on.
      if (w === '2026-W10') {
        expect(res.json.current.incidents.lostOrders).toBeGreaterThanOrEqual(6_300_000 + 120_000);
        expect(res.json.headline.changeFailureRate.current).toBeCloseTo(res.json.current.failedDeployments / res.json.current.deployments, 10);
      }
    }
  }, 120_000);

  it('answers Markdown and a real PDF', async () => {
    const md = await get('2026-W10', '?format=md');
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(md.text).toMatch(/^# This Week in Stores Tech — 2026-W10/);
    expect(md.text).toContain('## What leaders must discuss');
    expect(md.text).toContain('MI-2026-005');
    expect(md.text).toMatch(/\*\*Caused by\*\* \[acme\/config-service#\d+\]\(http:\/\/countersign\.test\/changes\/\d+\)/);
    expect(md.text).toContain('| Changes shipped |');

    const pdf = await call(reportRoute, '/api/v1/reports/weekly/2026-W10?format=pdf', { params: { isoWeek: '2026-W10' }, auth: await tokenFor(handle().db, 'kchen', ['gate:read']) });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain('twist-2026-W10.pdf');
    expect(pdf.text.startsWith('%PDF-1.')).toBe(true);
    expect(pdf.text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(Number(pdf.headers.get('content-length'))).toBeGreaterThan(5000);
    expect(pdf.text).toMatch(/\/Type \/Page\b/);
  });

  it('gives an empty report for a week without data, 400 for a malformed one, 401 without credentials', async () => {
    const empty = await get('2024-W10');
    expect(empty.status).toBe(200);
    expect(empty.json.empty).toBe(true);
    expect(empty.json.current.changesShipped).toBe(0);
    expect(empty.json.incidents).toEqual([]);
    expect(empty.json.discuss[0].parts[0]).toMatch(/Nothing was deployed/);
    for (const bad of ['2026-11', '2026-W00', '2025-W53', '2026-W54', 'W10-2026', '2026-w10']) {
      const res = await get(bad);
      expect(res.status, bad).toBe(400);
      expect(res.json.error.code).toBe('invalid_week');
    }
    expect((await get('2026-W53')).status).toBe(200);
    const anon = await call(reportRoute, '/api/v1/reports/weekly/2026-W10', { params: { isoWeek: '2026-W10' } });
    expect(anon.status).toBe(401);
    expect((await get('2026-W10', '?format=xls')).status).toBe(400);
  });

  it('records an attestation by a director once, with its audit event; refuses engineers and unfinished weeks', async () => {
    const db = handle().db;
    const director = await newPerson(db, 'director', 9);
    const s = await sessionFor(db, director.handle);
    const week = '2026-W09';
    const before = await get(week);
    expect(before.json.attestations.some((a: Json) => a.handle === director.handle)).toBe(false);

    const ok = await call(attestRoute, `/api/v1/reports/weekly/${week}/attestations`, { params: { isoWeek: week }, auth: s, body: { note: 'Reviewed in the Monday ops review' } });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ isoWeek: week, handle: director.handle, note: 'Reviewed in the Monday ops review' });
    const after = await get(week);
    expect(after.json.attestations.find((a: Json) => a.handle === director.handle)).toMatchObject({ note: 'Reviewed in the Monday ops review', role: 'director' });
    const events = await db.select().from(auditEvents).where(eq(auditEvents.action, 'report.attested'));
    expect(events.some((e) => e.actorId === director.id && e.subjectId === week)).toBe(true);

    const again = await call(attestRoute, `/api/v1/reports/weekly/${week}/attestations`, { params: { isoWeek: week }, auth: s, body: {} });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('already_attested');

    const thisWeek = isoWeekOf(new Date()).id;
    const early = await call(attestRoute, `/api/v1/reports/weekly/${thisWeek}/attestations`, { params: { isoWeek: thisWeek }, auth: s, body: {} });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('week_not_over');
    const bad = await call(attestRoute, '/api/v1/reports/weekly/2026-W99/attestations', { params: { isoWeek: '2026-W99' }, auth: s, body: {} });
    expect(bad.status).toBe(400);

    const engineer = await sessionFor(db, 'kchen');
    const refused = await call(attestRoute, `/api/v1/reports/weekly/${week}/attestations`, { params: { isoWeek: week }, auth: engineer, body: {} });
    expect(refused.status).toBe(403);
    const noCsrf = await call(attestRoute, `/api/v1/reports/weekly/${week}/attestations`, { params: { isoWeek: week }, auth: { cookie: s.cookie }, body: {} });
    expect(noCsrf.status).toBe(403);
    const rows = await db.select().from(reportAttestations).where(eq(reportAttestations.personId, director.id));
    expect(rows).toHaveLength(1);
  });

  it('shows a bypass deployment created now in the audit trail, in compliance and in this week’s report', async () => {
    const db = handle().db;
    const change = await newChange(db, { author: 'kchen', services: ['checkout'], title: 'Hotfix shipped around the gate' });
    // A token bound to the change's repository (issue 10: an unbound token may not report deployments).
    await db.update(changes).set({ repo: 'acme/checkout' }).where(eq(changes.id, change.id));
    const pipeline = { token: (await createApiToken(db, { personHandle: 'kchen', scopes: ['deployments:write'], repos: ['acme/checkout'], createdBy: null })).token };
    const dep = await call(deploymentsRoute, '/api/v1/deployments', { auth: pipeline, body: { change: change.externalId, environment: 'production', status: 'succeeded' } });
    expect(dep.status).toBe(201);
    expect(dep.json.bypass).toBe(true);

    const director = await tokenFor(db, 'asaleh', ['audit:read']);
    const audit = await call(auditRoute, '/api/v1/audit?kind=bypass&limit=20', { auth: director });
    expect(audit.status).toBe(200);
    const ev = (audit.json.items as Json[]).find((e) => e.change?.id === change.id);
    expect(ev).toMatchObject({ action: 'deployment.bypassed', alarm: 'bypass', actor: expect.stringContaining('kchen') });

    const now = new Date();
    const compliance = await getComplianceData(db, { from: new Date(now.getTime() - 86_400_000), to: new Date(now.getTime() + 60_000), team: 'checkout' }, await getPolicy(db));
    const listed = compliance.bypasses.find((b) => b.change.id === change.id);
    expect(listed).toMatchObject({ deployedBy: 'kchen', source: 'api', status: 'succeeded' });
    expect(compliance.twoPerson.without.some((w) => w.change.id === change.id && w.bypass && w.approvals === 0)).toBe(true);

    const week = isoWeekOf(now).id;
    const report = await get(week);
    expect(report.json.complete).toBe(false);
    expect(report.json.bypasses.some((b: Json) => b.change.id === change.id && b.deployedBy === 'kchen')).toBe(true);
    expect(report.json.tier1WithoutTwoApprovals.some((c: Json) => c.id === change.id)).toBe(true);
    const [{ n }] = (await queryRows<{ n: string }>(
      db,
      sql`select count(*)::text as n from deployments where bypass and environment = 'production' and created_at >= ${parseIsoWeek(week).start.toISOString()}::timestamptz`,
    )) as [{ n: string }];
    expect(report.json.current.bypasses).toBe(Number(n));
    const bypassLine = (report.json.discuss as Json[]).find((d) => d.key === 'bypasses');
    // The line counts every bypass of the week (as the database does), links the first three the report
    // lists and counts the rest; this test's bypass is in the report's list.
    const total = Number(n);
    expect(bypassLine.parts[0]).toBe(`${total} production deployment${total === 1 ? '' : 's'} bypassed the deploy gate: `);
    const hrefs = (bypassLine.parts as Json[]).filter((p) => typeof p === 'object').map((p) => p.href);
    expect(hrefs).toEqual((report.json.bypasses as Json[]).slice(0, 3).map((b) => `/changes/${b.change.id}`));
    expect(bypassLine.parts.includes(` and ${total - 3} more`)).toBe(total > 3);
  }, 120_000);
});

describe('report cache', () => {
  it('serves a new write at once: the audit version moves with every write', async () => {
    const { getTestDb } = await import('../support/db');
    const db = (await getTestDb('pglite')).db;
    const { getWeeklyReport, dataVersion } = await import('@/db/queries/reports');
    const week = '2025-W47';
    const first = await getWeeklyReport(db, { isoWeek: week });
    const v1 = await dataVersion(db);
    const director = await newPerson(db, 'vp', 10);
    const { attestWeeklyReport } = await import('@/lib/attestations/attest');
    await attestWeeklyReport(db, { isoWeek: week, personId: director.id });
    expect(await dataVersion(db)).toBeGreaterThan(v1);
    const second = await getWeeklyReport(db, { isoWeek: week });
    expect(second.attestations.length).toBe(first.attestations.length + 1);
    expect(second.current).toEqual(first.current);
  });
});

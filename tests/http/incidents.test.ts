// Incidents from trackers: POST /api/v1/incidents (idempotent by id), file imports (CSV/JSON)
// with bad rows reported by line, and linking an incident to the change that caused it —
// which re-scores the open changes on the same services.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as linkRoute } from '@/app/api/v1/incidents/[id]/link/route';
import { POST as importRoute } from '@/app/api/v1/incidents/import/route';
import { GET as listIncidents, POST as recordRoute } from '@/app/api/v1/incidents/route';
import { POST as submit } from '@/app/api/v1/changes/route';
import type { Db } from '@/db/client';
import { auditEvents, changes, incidents, services } from '@/db/schema';
import { bumpCatalogVersion } from '@/lib/graph/catalog';
import { parseCsv } from '@/lib/incidents/csv';
import { parseIncidentFile } from '@/lib/incidents/import';
import { describeEachDb, uid } from '../support/db';
import { call, tokenFor } from '../support/http';

const diffOf = (file: string, line: string) => `diff --git a/${file} b/${file}
--- a/${file}
+++ b/${file}
@@ -1,2 +1,2 @@
 package promise
-const cutoff = "17:00"
+${line}
`;

async function counts(db: Db) {
  const [row] = await db
    .select({ incidents: sql<number>`(select count(*) from incidents)::int`, links: sql<number>`(select count(*) from incident_services)::int`, audit: sql<number>`(select count(*) from audit_events)::int` })
    .from(sql`(select 1) as one`);
  return row!;
}

/** A service of the test's own, so re-scoring never touches the demo's pending changes. */
async function ownService(db: Db, tier = 2): Promise<string> {
  const slug = uid('svc');
  await db.transaction(async (tx) => {
    await tx.insert(services).values({ slug, name: slug, tier });
    await bumpCatalogVersion(tx);
  });
  return slug;
}

async function submitChange(db: Db, slug: string, externalId: string, file: string, line: string) {
  const token = await tokenFor(db, 'ebrandt', ['changes:write']);
  const res = await call(submit, '/api/v1/changes', { auth: token, body: { externalId, title: `Change ${externalId}`, author: 'ebrandt', services: [slug], kind: 'code', diff: diffOf(file, line) } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: number; risk: { score: number } };
}

describe('incident files', () => {
  it('parses RFC 4180 CSV with quotes, commas and line breaks, keeping each record’s first line', () => {
    const rows = parseCsv('id,title\r\n"A-1","Say ""hi"", then\nleave"\nA-2,plain\n\n');
    expect(rows).toEqual([
      { line: 1, values: ['id', 'title'] },
      { line: 2, values: ['A-1', 'Say "hi", then\nleave'] },
      { line: 4, values: ['A-2', 'plain'] },
    ]);
  });

  it('accepts tracker spellings (SEV2, P1, "a; b", 120,000) and reports bad rows with their line', () => {
    const csv = [
      'Incident ID,Title,Severity,Started At,Resolved At,Affected Services,Cause,Impact,Lost Orders,Owner',
      'INC-1,Carts slow,SEV2,2026-03-01T10:00:00Z,2026-03-01T11:00:00Z,"cart; checkout",,Slow carts,"120,000",sre',
      'INC-2,Bad severity,SEV9,2026-03-01T10:00:00Z,,cart,,,,sre',
      'INC-3,Backwards,P1,2026-03-02T10:00:00Z,2026-03-01T10:00:00Z,cart,,,,sre',
      'INC-4,No date,1,yesterday,,cart,,,,sre',
      'INC-5,Short row,1',
    ].join('\n');
    const parsed = parseIncidentFile(csv, 'csv');
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.rows[0]).toMatchObject({ line: 2, input: { id: 'INC-1', severity: 2, services: ['cart', 'checkout'], lostOrders: 120000, impact: 'Slow carts' } });
    expect(parsed.invalid.map((p) => [p.line, p.reason])).toEqual([
      [3, 'severity: severity must be SEV1–SEV4 (or 1–4, P1–P4), not "SEV9"'],
      [4, 'resolved: resolved is before started'],
      [5, 'started: started must be an ISO 8601 date-time such as 2026-03-05T14:20:00Z, not "yesterday"'],
      [6, '3 fields where the header has 10'],
    ]);
    expect(parsed.ignoredFields).toEqual(['Owner']);
  });

  it('gives JSON items their line', () => {
    const json = '{\n  "incidents": [\n    {"id": "J-1", "title": "ok", "severity": 1, "started": "2026-01-01T00:00:00Z", "services": ["cart"]},\n    {"id": "J-2", "title": "", "severity": 1, "started": "2026-01-01T00:00:00Z", "services": ["cart"]}\n  ]\n}';
    const parsed = parseIncidentFile(json, 'json');
    expect(parsed.rows.map((r) => [r.line, r.input.id])).toEqual([[3, 'J-1']]);
    expect(parsed.invalid).toEqual([{ line: 4, id: 'J-2', reason: 'title: title is required' }]);
  });
});

describeEachDb('incidents API', ({ handle }) => {
  it('records an incident idempotently by its id; an edit updates in place', async () => {
    const db = handle().db;
    const slug = await ownService(db);
    const token = await tokenFor(db, 'nhaddad', ['changes:write']);
    const id = uid('INC');
    const body = { id, title: 'Checkout errors', severity: 'SEV2', started: '2026-03-10T08:00:00Z', resolved: '2026-03-10T09:30:00Z', services: [slug], impact: '2% of checkouts failed', lostOrders: 1200, summary: 'A bad config.', lessons: '- Validate configs.' };
    const first = await call(recordRoute, '/api/v1/incidents', { auth: token, body });
    expect(first.status, first.text).toBe(201);
    expect(first.json.items[0]).toMatchObject({ externalId: id, created: true, changed: [] });
    const before = await counts(db);
    const again = await call(recordRoute, '/api/v1/incidents', { auth: token, body });
    expect(again.status).toBe(200);
    expect(again.json.items[0]).toMatchObject({ created: false, changed: [] });
    expect(await counts(db)).toEqual(before);
    const edited = await call(recordRoute, '/api/v1/incidents', { auth: token, body: { ...body, title: 'Checkout errors in EU', severity: 1 } });
    expect(edited.json.items[0].changed).toEqual(['title', 'severity']);
    const [row] = await db.select().from(incidents).where(eq(incidents.externalId, id));
    expect(row).toMatchObject({ title: 'Checkout errors in EU', severity: 1, lostOrders: 1200 });
    const list = await call(listIncidents, `/api/v1/incidents?service=${slug}`, { auth: token });
    expect(list.json.items.map((i: { externalId: string }) => i.externalId)).toEqual([id]);
  });

  it('refuses unknown services and changes, bad fields and non-incident roles — storing nothing', async () => {
    const db = handle().db;
    const slug = await ownService(db);
    const token = await tokenFor(db, 'nhaddad', ['changes:write']);
    const engineer = await tokenFor(db, 'kchen', ['changes:write']);
    const good = { id: uid('INC'), title: 'x', severity: 2, started: '2026-03-10T08:00:00Z', services: [slug] };
    const before = await counts(db);
    const unknownService = await call(recordRoute, '/api/v1/incidents', { auth: token, body: { ...good, services: [slug, 'no-such-service'] } });
    expect(unknownService.status).toBe(422);
    expect(unknownService.json.error).toMatchObject({ code: 'unknown_service', message: expect.stringContaining('no-such-service') });
    const unknownChange = await call(recordRoute, '/api/v1/incidents', { auth: token, body: { ...good, causeChange: 'nope/nope#0' } });
    expect(unknownChange.json.error.code).toBe('unknown_change');
    const badSeverity = await call(recordRoute, '/api/v1/incidents', { auth: token, body: { ...good, severity: 7 } });
    expect(badSeverity.status).toBe(422);
    expect(badSeverity.json.error.details[0].path).toBe('severity');
    const batch = await call(recordRoute, '/api/v1/incidents', { auth: token, body: { incidents: [good, { ...good, id: uid('INC'), services: ['no-such-service'] }] } });
    expect(batch.status).toBe(422);
    expect((await call(recordRoute, '/api/v1/incidents', { auth: engineer, body: good })).status).toBe(403);
    expect(await counts(db)).toEqual(before);
  });

  it('linking an incident to its cause re-scores open changes on the same services, from the incident or the change', async () => {
    const db = handle().db;
    const slug = await ownService(db);
    const s = uid('p');
    const cause = await submitChange(db, slug, `acme/promise#${s}-1`, 'promise/cutoff.go', 'const cutoff = "18:00"');
    const pending = await submitChange(db, slug, `acme/promise#${s}-2`, 'promise/cutoff.go', 'const cutoff = "19:00"');
    const token = await tokenFor(db, 'nhaddad', ['changes:write']);
    const started = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const incidentId = uid('INC');
    const recorded = await call(recordRoute, '/api/v1/incidents', {
      auth: token,
      body: { id: incidentId, title: 'Wrong delivery dates', severity: 'SEV1', started, services: [slug], impact: 'Carts promised the wrong day' },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.json.rescored).toBeGreaterThanOrEqual(2);
    const [afterIncident] = await db.select().from(changes).where(eq(changes.id, pending.id));
    expect(afterIncident!.riskScore).toBeGreaterThan(pending.risk.score);
    expect(afterIncident!.riskFactors.find((f) => f.key === 'incident_history')?.evidence).toMatch(/SEV-?1/);

    // Link from the incident page's API, by the change's external id.
    const link = await call(linkRoute, `/api/v1/incidents/${incidentId}/link`, { auth: token, body: { change: `acme/promise#${s}-1` }, params: { id: incidentId } });
    expect(link.status, link.text).toBe(200);
    expect(link.json).toMatchObject({ incident: { externalId: incidentId }, change: { id: cause.id }, previous: null });
    const moved = link.json.rescored.find((r: { id: number }) => r.id === pending.id);
    expect(moved.after.score).toBeGreaterThan(moved.before.score);
    const [inc] = await db.select().from(incidents).where(eq(incidents.externalId, incidentId));
    expect(inc!.causeChangeId).toBe(cause.id);
    const events = await db.select().from(auditEvents).where(sql`${auditEvents.action} = 'incident.linked' and ${auditEvents.subjectId} = ${String(inc!.id)}`);
    expect(events).toHaveLength(1);
    expect(events[0]!.changeId).toBe(cause.id);

    // Same link again: nothing happens. Unlink (from the change page, by numeric id): back down.
    const same = await call(linkRoute, `/api/v1/incidents/${inc!.id}/link`, { auth: token, body: { change: cause.id }, params: { id: String(inc!.id) } });
    expect(same.json.rescored).toEqual([]);
    const unlink = await call(linkRoute, `/api/v1/incidents/${inc!.id}/link`, { auth: token, body: { change: null }, params: { id: String(inc!.id) } });
    expect(unlink.json).toMatchObject({ change: null, previous: { id: cause.id } });
    expect(unlink.json.rescored.find((r: { id: number }) => r.id === pending.id).after.score).toBe(moved.before.score);

    expect((await call(linkRoute, '/api/v1/incidents/NOPE-1/link', { auth: token, body: { change: cause.id }, params: { id: 'NOPE-1' } })).status).toBe(404);
    expect((await call(linkRoute, `/api/v1/incidents/${incidentId}/link`, { auth: token, body: { change: 'x/y#404' }, params: { id: incidentId } })).status).toBe(422);
    const engineer = await tokenFor(db, 'kchen', ['changes:write']);
    expect((await call(linkRoute, `/api/v1/incidents/${incidentId}/link`, { auth: engineer, body: { change: cause.id }, params: { id: incidentId } })).status).toBe(403);
  });

  it('imports a CSV export: valid rows recorded, bad rows (incl. unknown services) reported by line, re-import unchanged', async () => {
    const db = handle().db;
    const slug = await ownService(db);
    const s = uid('imp');
    const cause = await submitChange(db, slug, `acme/imp#${s}`, 'promise/a.go', 'const cutoff = "20:00"');
    const csv = [
      'id,title,severity,started,resolved,services,causeChange,impact,lostOrders,summary,lessons',
      `${s}-1,"Orders stuck, then lost",SEV1,2026-02-01T06:00:00Z,2026-02-01T12:00:00Z,${slug},acme/imp#${s},"6 hours, 99% drop","6,300,000","Line one\nline two",- Validate`,
      `${s}-2,Unknown service,SEV3,2026-02-02T06:00:00Z,,no-such-service,,,,,`,
      `${s}-3,Minor,4,2026-02-03T06:00:00Z,,${slug},${cause.id},,,,`,
    ].join('\n');
    const token = await tokenFor(db, 'nhaddad', ['changes:write']);
    const res = await call(importRoute, '/api/v1/incidents/import', { auth: token, rawBody: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ recorded: 2, updated: 0, unchanged: 0 });
    expect(res.json.invalid).toEqual([{ line: 4, id: `${s}-2`, reason: 'unknown service no-such-service: import it into the catalog first' }]);
    const [first] = await db.select().from(incidents).where(eq(incidents.externalId, `${s}-1`));
    expect(first).toMatchObject({ severity: 1, lostOrders: 6_300_000, causeChangeId: cause.id, summary: 'Line one\nline two', impact: '6 hours, 99% drop' });
    const again = await call(importRoute, '/api/v1/incidents/import?format=csv', { auth: token, rawBody: csv, headers: { 'content-type': 'text/plain' } });
    expect(again.json).toMatchObject({ recorded: 0, updated: 0, unchanged: 2 });
    expect((await call(importRoute, '/api/v1/incidents/import', { auth: token, rawBody: csv, headers: { 'content-type': 'application/octet-stream' } })).status).toBe(415);
  });
});

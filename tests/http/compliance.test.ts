// Compliance for a period: Tier-1 two-person sign-off against SQL written here, bypasses with
// who and how, break-glass follow-ups (done, overdue, active), AI breakdown, and the three
// review-depth signals — each built from data the test creates, with its evidence.
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { getComplianceData } from '@/db/queries/compliance';
import { getWeeklyReport } from '@/db/queries/reports';
import { approvals, breakGlass, changes } from '@/db/schema';
import { openBreakGlass } from '@/lib/approvals/break-glass';
import { getPolicy } from '@/lib/policy';
import { isoWeekOf } from '@/lib/reports/iso-week';
import { describeEachDb } from '../support/db';
import { newChange, newPerson } from './leadership-helpers';

const DAY = 86_400_000;

describeEachDb('compliance', ({ handle }) => {
  it('counts Tier-1 production deployments with and without two valid approvals like independent SQL', async () => {
    const db = handle().db;
    const period = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
    const data = await getComplianceData(db, period, await getPolicy(db));
    const [x] = await queryRows<{ total: string; ok: string; bypasses: string }>(
      db,
      sql`
      select count(*)::text as total,
        count(*) filter (where (
          select count(distinct a.person_id) from approvals a join people p on p.id = a.person_id
          where a.revision_id = d.revision_id and a.decision = 'approve' and a.created_at <= d.created_at and a.withdrawn_at is null
            and not p.is_bot and p.level >= 7 and p.role in ('senior', 'director', 'vp') and a.person_id <> c.author_id
            and a.person_id not in (select person_id from change_coauthors where change_id = c.id)
        ) >= 2)::text as ok,
        (select count(*) from deployments b where b.bypass and b.environment = 'production' and b.created_at >= '2026-01-01' and b.created_at < '2026-04-01')::text as bypasses
      from deployments d join changes c on c.id = d.change_id
      where d.environment = 'production' and d.status = 'succeeded' and c.top_tier = 1 and d.created_at >= '2026-01-01' and d.created_at < '2026-04-01'`,
    );
    expect(data.twoPerson.deployments).toBe(Number(x!.total));
    expect(data.twoPerson.compliant).toBe(Number(x!.ok));
    expect(data.twoPerson.without.length).toBe(Math.min(100, Number(x!.total) - Number(x!.ok)));
    expect(data.bypasses.length).toBe(Number(x!.bypasses));
    // Each deployment without two approvals names the gate decision it reported (as stored), or none.
    const decisions = await queryRows<{ id: string; gate: string | null }>(db, sql`select id::text, gate_decision_id::text as gate from deployments`);
    const gateOf = new Map(decisions.map((r) => [Number(r.id), r.gate === null ? null : Number(r.gate)]));
    for (const w of data.twoPerson.without) {
      expect(w.gate?.id ?? null, String(w.deploymentId)).toBe(gateOf.get(w.deploymentId) ?? null);
      if (w.gate) expect(w.gate).toMatchObject({ at: expect.any(String), allowed: expect.any(Boolean), reasons: expect.any(Array), required: expect.any(Number), valid: expect.any(Number) });
    }
    const configPush = data.bypasses.find((b) => b.change.externalId.startsWith('acme/config-service#'));
    expect(configPush).toMatchObject({ source: 'seed', environment: 'production' });
    expect(configPush!.deployedBy).toBeTruthy();
    // Each team's Tier-1 deployments add up to at least the total (a change can touch two teams' services).
    expect(data.twoPerson.breakdown.reduce((n, b) => n + b.deployments, 0)).toBeGreaterThanOrEqual(data.twoPerson.deployments);
    const shares = data.ai.reduce((n, a) => n + (a.share ?? 0), 0);
    expect(shares).toBeCloseTo(1, 10);
    expect(data.latency.medianMinutes).toBeGreaterThan(0);
    expect(data.latency.p90Minutes!).toBeGreaterThanOrEqual(data.latency.medianMinutes!);
  }, 120_000);

  it('lists break-glass overrides with their follow-up: done, overdue (also in that week’s report) or active', async () => {
    const db = handle().db;
    const vp = await newPerson(db, 'vp', 10, null);
    const now = Date.now();
    const made: { label: string; change: { id: number } }[] = [];
    for (const label of ['done', 'overdue', 'active']) made.push({ label, change: await newChange(db, { author: 'kchen', title: `Break-glass ${label}` }) });
    const opened = new Date(now - 6 * DAY);
    await db.insert(breakGlass).values([
      { changeId: made[0]!.change.id, openedById: vp.id, justification: 'Checkout down, hotfix for the 3DS timeout', openedAt: opened, expiresAt: new Date(opened.getTime() + 2 * 3_600_000), followUpCompletedAt: new Date(now - 5 * DAY) },
      { changeId: made[1]!.change.id, openedById: vp.id, justification: 'Payments failing, roll forward the acquirer fix', openedAt: opened, expiresAt: new Date(opened.getTime() + 2 * 3_600_000) },
    ]);
    const active = await openBreakGlass(db, { changeId: made[2]!.change.id, personId: vp.id, justification: 'Incident INC-42: the cart is down, ship the fix now', hours: 2 });
    const data = await getComplianceData(db, { from: new Date(now - 7 * DAY), to: new Date(now + 60_000) }, await getPolicy(db));
    const state = (id: number) => data.breakGlass.find((b) => b.change.id === id)?.state;
    expect(state(made[0]!.change.id)).toBe('done');
    expect(state(made[1]!.change.id)).toBe('overdue');
    expect(state(made[2]!.change.id)).toBe('active');
    expect(data.breakGlass.find((b) => b.id === active.id)).toMatchObject({ openedBy: vp.handle, justification: expect.stringContaining('INC-42') });

    // This week's report names the overdue review, not the done one nor the one still running.
    const report = await getWeeklyReport(db, { isoWeek: isoWeekOf(new Date()).id });
    const overdue = report.overdueBreakGlass.map((b) => b.change.id);
    expect(overdue).toContain(made[1]!.change.id);
    expect(overdue).not.toContain(made[0]!.change.id);
    expect(overdue).not.toContain(made[2]!.change.id);
    expect(report.discuss.find((d) => d.key === 'break-glass')?.parts.some((p) => typeof p === 'object' && p.href === `/changes/${made[1]!.change.id}`)).toBe(true);
  }, 120_000);

  it('shows the review-depth signals with their evidence: fast approvals, rubber stamps, reciprocal pairs', async () => {
    const db = handle().db;
    const a = await newPerson(db, 'senior', 8);
    const b = await newPerson(db, 'senior', 8);
    const start = new Date();
    // A and B approve only each other's changes; B approves a 1,200-line change within a minute.
    const aChanges: { id: number }[] = [];
    const bChanges: { id: number }[] = [];
    for (let i = 0; i < 3; i++) aChanges.push(await newChange(db, { author: a.handle, lines: i === 0 ? 1200 : 5 }));
    for (let i = 0; i < 3; i++) bChanges.push(await newChange(db, { author: b.handle, lines: 5 }));
    const approve = async (change: { id: number }, person: number, afterMs: number) => {
      const [c] = await db.select({ rev: changes.currentRevisionId }).from(changes).where(eq(changes.id, change.id));
      const rev = (await queryRows<{ created_at: Date | string }>(db, sql`select created_at from revisions where id = ${c!.rev}`))[0]!;
      const at = new Date(new Date(rev.created_at).getTime() + afterMs);
      await db.insert(approvals).values({ changeId: change.id, revisionId: c!.rev!, personId: person, decision: 'approve', comment: 'LGTM', createdAt: at });
    };
    await approve(aChanges[0]!, b.id, 45_000);
    for (const c of aChanges.slice(1)) await approve(c, b.id, 30 * 60_000);
    for (const c of bChanges) await approve(c, a.id, 30 * 60_000);

    const policy = await getPolicy(db);
    const data = await getComplianceData(db, { from: new Date(start.getTime() - 60_000), to: new Date(Date.now() + 2 * 3_600_000) }, policy);
    const fast = data.signals.fastApprovals.items.find((f) => f.change.id === aChanges[0]!.id);
    expect(fast).toMatchObject({ reviewer: b.handle, lines: 1200 });
    expect(fast!.minutes).toBeLessThan(1);
    expect(fast!.neededMinutes).toBeCloseTo(1200 / policy.review.readingLinesPerMinute, 1);
    expect(data.signals.fastApprovals.items.some((f) => f.change.id === aChanges[1]!.id)).toBe(false);

    const pair = data.signals.pairs.find((p) => [p.a, p.b].sort().join() === [a.handle, b.handle].sort().join());
    expect(pair).toBeTruthy();
    expect(pair!.aToB).toBe(3);
    expect(pair!.bToA).toBe(3);

    // Rubber stamps over a quarter of the seeded history, against SQL written here.
    const year = await getComplianceData(db, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') }, policy);
    const expected = await queryRows<{ handle: string }>(
      db,
      sql`select p.handle from approvals x join people p on p.id = x.person_id
          where x.created_at >= '2026-01-01' and x.created_at < '2026-04-01'
          group by p.handle
          having count(*) >= ${policy.review.rubberStampMinReviews}
             and avg(case when x.decision = 'approve' then 1.0 else 0.0 end) >= ${policy.review.rubberStampShare}
          order by p.handle`,
    );
    expect(year.signals.rubberStamps.map((r) => r.reviewer).sort()).toEqual(expected.map((e) => e.handle));
    expect(year.signals.rubberStamps.length).toBeGreaterThan(0);
    for (const r of year.signals.rubberStamps) expect(r.share).toBeGreaterThanOrEqual(policy.review.rubberStampShare);
  }, 120_000);

  it('scopes everything to a team or a service', async () => {
    const db = handle().db;
    const period = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
    const policy = await getPolicy(db);
    const [whole, team, service] = await Promise.all([
      getComplianceData(db, period, policy),
      getComplianceData(db, { ...period, team: 'core-platform' }, policy),
      getComplianceData(db, { ...period, service: 'config-service' }, policy),
    ]);
    expect(team.twoPerson.deployments).toBeLessThan(whole.twoPerson.deployments);
    expect(service.twoPerson.deployments).toBeLessThanOrEqual(team.twoPerson.deployments);
    expect(service.twoPerson.breakdown.map((b) => b.key)).toEqual(['config-service']);
    expect(service.bypasses.every((b) => b.change.externalId.startsWith('acme/config-service#'))).toBe(true);
    expect(service.bypasses.length).toBeGreaterThan(0);
  }, 120_000);
});

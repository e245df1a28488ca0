// A submission whose diff analysis runs out of its time budget is stored fail-closed: maximum risk,
// destructive, and an "analysis incomplete" factor the change page shows; the call does not wait longer.
import { eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { POST as submit } from '@/app/api/v1/changes/route';
import { changes } from '@/db/schema';
import { resetEnvCache } from '@/lib/env';
import { describeEachDb, uid } from '../support/db';
import { call, tokenFor } from '../support/http';

function bigDiff(lines: number): string {
  const body = `+${'kubectl get pods -n prod; '.repeat(38)}\n`.repeat(lines);
  return `diff --git a/deploy/run.sh b/deploy/run.sh\n--- a/deploy/run.sh\n+++ b/deploy/run.sh\n@@ -0,0 +1,${lines} @@\n${body}`;
}

describeEachDb('diff analysis budget', ({ handle }) => {
  afterEach(() => {
    delete process.env.COUNTERSIGN_ANALYSIS_BUDGET_MS;
    resetEnvCache();
  });

  it('stores a change whose analysis ran out of budget at maximum risk, destructive, flagged "analysis incomplete"', async () => {
    process.env.COUNTERSIGN_ANALYSIS_BUDGET_MS = '1';
    resetEnvCache();
    const auth = await tokenFor(handle().db, 'ebrandt', ['changes:write']);
    const id = `acme/config-service#${uid('pr')}`;
    const res = await call(submit, '/api/v1/changes', {
      auth,
      body: {
        externalId: id, repo: 'acme/config-service', title: 'A large generated script', author: 'ebrandt',
        services: ['config-service'], kind: 'code', ai: { level: 'none' }, environment: 'staging',
        validation: { preDeploy: true }, diff: bigDiff(2000),
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.risk).toMatchObject({ level: 'critical', score: 100 });
    const [row] = await handle().db.select().from(changes).where(eq(changes.id, res.json.id));
    expect(row).toMatchObject({ riskScore: 100, riskLevel: 'critical', destructive: true });
    expect(row!.riskFactors.map((f) => f.key)).toEqual(['analysis_incomplete']);
    expect(row!.riskFactors[0]!.evidence).toMatch(/^Analysis incomplete/);
  });
});

import { z } from 'zod';
import { DEPLOYMENT_STATUSES } from '@/db/schema/enums';
import { apiRoute } from '@/lib/api/route';
import { recordDeployment } from '@/lib/deployments/record';

export const dynamic = 'force-dynamic';

const DeploymentBody = z.object({
  change: z.union([z.string().trim().min(1).max(200), z.number().int().positive()]).transform(String),
  environment: z.string().trim().min(1).max(50),
  status: z.enum(DEPLOYMENT_STATUSES),
  externalId: z.string().trim().min(1).max(200).nullish(),
});

/** A pipeline reports a deployment; one to production without an allowing gate decision is flagged as a bypass. */
export const POST = apiRoute({ scope: 'deployments:write', body: DeploymentBody, maxBodyBytes: 16 * 1024 }, async ({ db, body, actor }) => {
  const r = await recordDeployment(db, body, { personId: actor.person.id, label: actor.label }, { source: 'api' });
  return Response.json(
    {
      id: r.deployment.id,
      change: r.change,
      environment: r.deployment.environment,
      status: r.deployment.status,
      bypass: r.bypass,
      gateDecisionId: r.deployment.gateDecisionId,
      duplicate: r.duplicate,
      createdAt: r.deployment.createdAt,
    },
    { status: r.duplicate ? 200 : 201 },
  );
});

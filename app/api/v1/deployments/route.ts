import { z } from 'zod';
import { DEPLOYMENT_STATUSES } from '@/db/schema/enums';
import { apiRoute } from '@/lib/api/route';
import { isAdmin } from '@/lib/auth/roles';
import { recordDeployment } from '@/lib/deployments/record';
import { COMMIT_SHA_PATTERN } from '@/lib/policy/approvals';
import type { Role } from '@/db/schema/enums';

export const dynamic = 'force-dynamic';

const DeploymentBody = z.object({
  change: z.union([z.string().trim().min(1).max(200), z.number().int().positive()]).transform(String),
  environment: z.string().trim().min(1).max(50),
  status: z.enum(DEPLOYMENT_STATUSES),
  externalId: z.string().trim().min(1).max(200).nullish(),
  commit: z.string().trim().toLowerCase().regex(COMMIT_SHA_PATTERN, 'commit must be the full git commit sha deployed (40 hex characters)').nullish(),
});

/**
 * A pipeline reports a deployment, with a token bound to the change's repository (or an admin's);
 * one to production the gate would not allow now (sign-off re-evaluated, commit checked) is a bypass.
 */
export const POST = apiRoute({ scope: 'deployments:write', body: DeploymentBody, maxBodyBytes: 16 * 1024 }, async ({ db, body, actor }) => {
  const r = await recordDeployment(
    db,
    body,
    { personId: actor.person.id, label: actor.label, reporter: { admin: isAdmin(actor.person.role as Role), repos: actor.repos } },
    { source: 'api' },
  );
  return Response.json(
    {
      id: r.deployment.id,
      change: r.change,
      environment: r.deployment.environment,
      status: r.deployment.status,
      bypass: r.bypass,
      bypassReasons: r.bypassReasons,
      commit: r.deployment.commit,
      gateDecisionId: r.deployment.gateDecisionId,
      duplicate: r.duplicate,
      createdAt: r.deployment.createdAt,
    },
    { status: r.duplicate ? 200 : 201 },
  );
});

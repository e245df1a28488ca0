import { apiRoute, DEFAULT_MAX_BODY_BYTES, readJsonBody } from '@/lib/api/route';
import { DEFAULT_POLICY, getPolicy } from '@/lib/policy';
import { describePolicy } from '@/lib/policy/describe';
import { policyVersion, updatePolicy } from '@/lib/policy/update';

export const dynamic = 'force-dynamic';

/**
 * The effective policy (defaults with the organisation's overrides), in numbers and in words,
 * to anyone signed in: the rules that decide their changes are no secret. `version` (also the
 * ETag) is what a PUT may send back as If-Match.
 */
export const GET = apiRoute({}, async ({ db }) => {
  const policy = await getPolicy(db);
  const version = policyVersion(policy);
  return Response.json({ policy, sections: describePolicy(policy), version, defaults: DEFAULT_POLICY }, { headers: { etag: version, 'cache-control': 'no-store' } });
});

/**
 * An administrator changes the policy: the body is the policy document or any part of it
 * (omitted fields keep their values). Validated whole; 400 names the field and changes
 * nothing. On success the settings row, every open change's stored sign-off and a
 * `policy.updated` audit event are written in one transaction.
 */
export const PUT = apiRoute({ scope: 'admin', roles: ['admin'] }, async ({ db, req, actor }) => {
  const body = await readJsonBody(req, Math.min(DEFAULT_MAX_BODY_BYTES, 16 * 1024));
  const r = await updatePolicy(db, body, actor.person, { actorLabel: actor.label, ifMatch: req.headers.get('if-match') });
  return Response.json(
    {
      policy: r.policy,
      sections: describePolicy(r.policy),
      version: r.version,
      changed: r.changed,
      reweighed: { count: r.reweighed.length, changes: r.reweighed.slice(0, 50) },
      auditEventId: r.auditEventId,
    },
    { headers: { etag: r.version, 'cache-control': 'no-store' } },
  );
});

import { apiRoute } from '@/lib/api/route';
import { getPolicy } from '@/lib/policy';
import { describePolicy } from '@/lib/policy/describe';

export const dynamic = 'force-dynamic';

/** The effective policy (defaults with the organisation's overrides), in numbers and in words. */
export const GET = apiRoute({}, async ({ db }) => {
  const policy = await getPolicy(db);
  return { policy, sections: describePolicy(policy) };
});

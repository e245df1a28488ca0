import { apiRoute } from '@/lib/api/route';
import type { Role } from '@/db/schema/enums';
import { forbidden } from '@/lib/errors';
import { addWatchout } from '@/lib/watchouts/add';
import { loadWatchoutsForChangeId } from '@/lib/watchouts/for-change';
import { AddWatchoutInput, type AddWatchout } from '@/lib/watchouts/schema';

export const dynamic = 'force-dynamic';

const WATCHOUT_ROLES: readonly Role[] = ['senior', 'director', 'vp'];

/**
 * Adds a watch-out (seniors, directors, VPs; a token needs the `approve` scope: it is reviewer
 * knowledge). With `change`, the answer also says whether and why it applies to that change.
 */
export const POST = apiRoute<AddWatchout>({ roles: WATCHOUT_ROLES, body: AddWatchoutInput, maxBodyBytes: 64 * 1024 }, async ({ db, body, actor }) => {
  // The role is checked first (its refusal says who may); a token must also carry `approve`.
  if (!actor.scopes.has('approve')) throw forbidden('insufficient_scope', 'This token lacks the scope approve needed to add a watch-out.');
  const watchout = await addWatchout(db, body, actor);
  let match: { reason: string; strength: string } | null = null;
  if (watchout.changeId !== null) {
    const m = (await loadWatchoutsForChangeId(db, watchout.changeId)).find((w) => w.watchout.id === watchout.id);
    if (m) match = { reason: m.reason, strength: m.strength };
  }
  return new Response(JSON.stringify({ watchout, match }), { status: 201, headers: { 'content-type': 'application/json' } });
});

// The sign-off controls of the change page, loaded on the server and handed to the client
// islands as their first state: approve / reject / withdraw, and break-glass.
import 'server-only';
import { getDb } from '@/db';
import { getSignOffView, type Viewer } from '@/db/queries/sign-off';
import type { Role } from '@/db/schema/enums';
import { listBreakGlass } from '@/lib/approvals/break-glass';
import { canBreakGlass } from '@/lib/auth/roles';
import { getPolicy } from '@/lib/policy';
import { BreakGlassPanel, type BreakGlassItem } from './break-glass-panel';
import { SignOffActions } from './sign-off-actions';

/** Dates become the strings the API would send, so the first render equals a refetch. */
function asJson<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export async function SignOffControls({ changeId, viewer, now }: { changeId: number; viewer: Viewer; now: Date }) {
  const db = await getDb();
  const [view, glass, policy] = await Promise.all([getSignOffView(db, { changeId, viewer }), listBreakGlass(db, changeId), getPolicy(db)]);
  if (!view) return null;
  const canOpen = canBreakGlass(viewer.role as Role) && !viewer.deactivatedAt && view.viewer.block !== 'author_cannot_approve';
  return (
    <div className="space-y-3">
      <SignOffActions changeId={changeId} initial={asJson(view)} />
      <BreakGlassPanel
        changeId={changeId}
        initial={asJson<BreakGlassItem[]>(glass)}
        canOpen={canOpen}
        defaultHours={policy.approvals.breakGlassDefaultHours}
        maxHours={policy.approvals.breakGlassMaxHours}
        now={now.getTime()}
      />
    </div>
  );
}

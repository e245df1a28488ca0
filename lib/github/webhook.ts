// The fast half of a GitHub delivery: verify the signature over the raw body, then in one
// transaction record the delivery id (a redelivery changes nothing) and enqueue the work.
import { Webhooks } from '@octokit/webhooks';
import { createHash } from 'node:crypto';
import { and, eq, gt, ne, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { webhookDeliveries } from '@/db/schema';
import { conflict } from '@/lib/errors';
import { enqueueJob } from '@/lib/jobs/queue';
import { GITHUB_EVENT_JOB, type GithubEventJob } from './events';

/** Event → the actions that matter ('*' for all). Anything else is acknowledged and ignored. */
export const HANDLED_EVENTS: Record<string, ReadonlySet<string> | '*'> = {
  pull_request: new Set(['opened', 'reopened', 'synchronize', 'edited', 'closed', 'labeled', 'unlabeled', 'ready_for_review']),
  pull_request_review: new Set(['submitted', 'edited', 'dismissed']),
  deployment: new Set(['created']),
  deployment_status: new Set(['created']),
  deployment_protection_rule: new Set(['requested']),
  installation: new Set(['created', 'deleted', 'suspend', 'unsuspend', 'new_permissions_accepted']),
  installation_repositories: new Set(['added', 'removed']),
};

/** GitHub caps payloads at 25 MB; ours are far smaller, this bounds what we read. */
export const MAX_WEBHOOK_BYTES = 10 * 1024 * 1024;

const verifiers = new Map<string, Webhooks>();

/** Constant-time HMAC-SHA256 check of X-Hub-Signature-256 over the raw body, by @octokit/webhooks. */
export async function verifySignature(secret: string, rawBody: string, signature: string): Promise<boolean> {
  let w = verifiers.get(secret);
  if (!w) {
    w = new Webhooks({ secret });
    verifiers.set(secret, w);
  }
  try {
    return await w.verify(rawBody, signature);
  } catch {
    // A malformed signature header is simply not a valid signature.
    return false;
  }
}

export type DeliveryAnswer =
  | { status: 'queued'; jobId: number | null }
  | { status: 'duplicate' }
  | { status: 'recorded'; outcome: string }
  | { status: 'ignored'; reason: string };

export function isHandled(event: string, action: string | null): boolean {
  const actions = HANDLED_EVENTS[event];
  if (!actions) return false;
  return actions === '*' || (action !== null && actions.has(action));
}

/** A push needs no work (pull requests arrive as pull_request events), but it is kept as a record. */
function describePush(payload: Record<string, unknown>): string {
  const commits = Array.isArray(payload.commits) ? payload.commits.length : 0;
  const ref = typeof payload.ref === 'string' ? payload.ref : '?';
  const forced = payload.forced === true ? ' (forced)' : '';
  const deleted = payload.deleted === true ? 'deleted' : `${commits} commit${commits === 1 ? '' : 's'}`;
  return `push to ${ref}${forced}: ${deleted}; reviewed through its pull request`;
}

/** A body seen under another delivery id within this window is a replay, not a new event. */
export const REPLAY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export function bodySha256(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

export async function acceptDelivery(
  db: Db,
  d: { deliveryId: string; event: string; action: string | null; payload: Record<string, unknown>; bodySha256?: string },
): Promise<DeliveryAnswer> {
  const handled = isHandled(d.event, d.action);
  if (!handled && d.event !== 'push') return { status: 'ignored', reason: `${d.event}${d.action ? `.${d.action}` : ''} is not used by Countersign` };
  const outcome = d.event === 'push' ? `recorded: ${describePush(d.payload)}` : 'queued';
  return db.transaction(async (tx) => {
    if (d.bodySha256) {
      // GitHub's own redelivery keeps the delivery id (answered as a duplicate below); the same
      // signed body under a new id is someone replaying a captured delivery.
      const [seen] = await tx
        .select({ id: webhookDeliveries.deliveryId })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.bodySha256, d.bodySha256), ne(webhookDeliveries.deliveryId, d.deliveryId), gt(webhookDeliveries.receivedAt, new Date(Date.now() - REPLAY_WINDOW_MS))))
        .limit(1);
      if (seen) throw conflict('delivery_replayed', `This body was already delivered as ${seen.id}: a replay under a new delivery id is refused.`);
    }
    const inserted = await tx
      .insert(webhookDeliveries)
      .values({ deliveryId: d.deliveryId, source: 'github', event: d.event, action: d.action, outcome, bodySha256: d.bodySha256 ?? null })
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.deliveryId });
    if (!inserted.length) return { status: 'duplicate' } as const;
    if (d.event === 'push') return { status: 'recorded', outcome } as const;
    const job: GithubEventJob = { deliveryId: d.deliveryId, event: d.event, action: d.action, payload: d.payload };
    const jobId = await enqueueJob(tx, { kind: GITHUB_EVENT_JOB, payload: job as unknown as Record<string, unknown>, dedupeKey: `github:${d.deliveryId}` });
    return { status: 'queued', jobId } as const;
  });
}

/** For the triage page: how recent deliveries went. */
export async function recentDeliveries(db: Db, limit = 20) {
  return db.select().from(webhookDeliveries).orderBy(sql`${webhookDeliveries.receivedAt} desc`).limit(limit);
}

// The queue's filters as they travel in a URL: one zod schema for GET /api/v1/changes, the
// server-rendered /queue page and the client island, so a shared link means the same thing everywhere.
import { z } from 'zod';
import { decodeCursor, type QueueFilters } from '@/db/queries/queue';
import { AI_LEVELS, CHANGE_STATUSES, RISK_LEVELS, type Tier } from '@/db/schema/enums';
import { QUEUE_PARAM_NAMES } from './url';

const slug = z.string().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a slug such as checkout');


export const QueueQuery = z.preprocess(
  // An empty field (`?tier=`) means "no filter", as it does in a form.
  (v) => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '')) : v),
  z.object({
    // `approved` is approved and waiting to deploy; `all` lists every status.
    status: z.enum([...CHANGE_STATUSES, 'all'], { message: `status must be one of ${[...CHANGE_STATUSES, 'all'].join(', ')}` }).default('pending'),
    tier: z.enum(['1', '2', '3'], { message: 'tier must be 1, 2 or 3' }).transform((t) => Number(t) as Tier).optional(),
    service: slug.optional(),
    team: slug.optional(),
    ai: z.enum(AI_LEVELS).optional(),
    risk: z.enum(RISK_LEVELS).optional(),
    q: z.string().trim().max(200).optional(),
    reviewer: z.literal('me', { message: 'reviewer must be "me"' }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).refine((c) => decodeCursor(c) !== null, 'cursor is not one this API gave out').optional(),
  }),
);
export type QueueQuery = z.output<typeof QueueQuery>;

/** The filters for listQueue, given who is asking (for `reviewer=me`). */
export function toQueueFilters(query: QueueQuery, viewerId: number): QueueFilters {
  return {
    status: query.status,
    tier: query.tier,
    service: query.service,
    team: query.team,
    ai: query.ai,
    risk: query.risk,
    q: query.q || undefined,
    limit: query.limit,
    cursor: query.cursor,
    reviewerId: query.reviewer === 'me' ? viewerId : undefined,
    viewerId,
  };
}

/** Parses the page's search params leniently: a bad value in a shared link is dropped, not a crash. */
export function readQueueSearchParams(params: Record<string, string | string[] | undefined>): QueueQuery {
  const flat: Record<string, string> = {};
  for (const name of QUEUE_PARAM_NAMES) {
    const v = params[name];
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined && name !== 'cursor') flat[name] = value;
  }
  const parsed = QueueQuery.safeParse(flat);
  if (parsed.success) return parsed.data;
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  return QueueQuery.parse(Object.fromEntries(Object.entries(flat).filter(([k]) => !bad.has(k))));
}

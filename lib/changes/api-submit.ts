// A submission from a pipeline or the CLI (POST /api/v1/changes): the declared AI involvement
// is kept as evidence, the submitter is the audit actor, and the author unless the body names one.
import { eq } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { changes, people, type AiEvidence } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import type { SubmitChange, SubmitChangeBody } from './schema';
import { submitChange, type SubmitResult } from './submit';

export function declaredAiEvidence(input: Pick<SubmitChange, 'ai'>, by: string): AiEvidence[] {
  if (input.ai.level === 'none') return [];
  return [{ source: 'submission', detail: `Declared ai.level ${input.ai.level}${input.ai.tool ? ` (${input.ai.tool})` : ''} by ${by}.` }];
}

/**
 * The author of a submission that names none: a change already recorded keeps its author (a retry or
 * a later revision from another pipeline does not take it over); a new one was written by the caller —
 * the API token's owner, or the signed-in person.
 */
export async function defaultAuthor(db: Queryable, externalId: string, actor: Pick<Actor, 'person'>): Promise<string> {
  const [existing] = await db
    .select({ handle: people.handle })
    .from(changes)
    .innerJoin(people, eq(people.id, changes.authorId))
    .where(eq(changes.externalId, externalId))
    .limit(1);
  return existing?.handle ?? actor.person.handle;
}

/** The CLI names itself in this header so the audit trail says how a change arrived. */
export const CLIENT_HEADER = 'x-countersign-client';

export async function submitViaApi(db: Db, body: SubmitChangeBody, actor: Actor, req?: Request): Promise<SubmitResult> {
  const source = req?.headers.get(CLIENT_HEADER) === 'cli' ? 'cli' : 'api';
  const input: SubmitChange = { ...body, author: body.author ?? (await defaultAuthor(db, body.externalId, actor)) };
  return submitChange(db, input, { personId: actor.person.id, label: actor.label }, { source, aiEvidence: declaredAiEvidence(input, actor.person.handle) });
}

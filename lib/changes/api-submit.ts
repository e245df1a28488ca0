// A submission from a pipeline or the CLI (POST /api/v1/changes): the declared AI involvement
// is kept as evidence, the submitter is the audit actor, and the author unless the body names one.
import type { Db } from '@/db/client';
import type { AiEvidence, Person } from '@/db/schema';
import { forbidden } from '@/lib/errors';
import type { Actor } from '@/lib/auth/actor';
import type { SubmitChange, SubmitChangeBody } from './schema';
import { submitChange, type SubmitResult } from './submit';

export function declaredAiEvidence(input: Pick<SubmitChange, 'ai'>, by: string): AiEvidence[] {
  if (input.ai.level === 'none') return [];
  return [{ source: 'submission', detail: `Declared ai.level ${input.ai.level}${input.ai.tool ? ` (${input.ai.tool})` : ''} by ${by}.` }];
}

/** The CLI names itself in this header so the audit trail says how a change arrived. */
export const CLIENT_HEADER = 'x-countersign-client';

/**
 * The author is the authenticated caller. Only a pipeline or bot account (never a human, who could
 * then approve "someone else's" change) may submit for a named author.
 */
export function assertMayNameAuthor(body: Pick<SubmitChangeBody, 'author'>, caller: Pick<Person, 'handle' | 'githubLogin' | 'isBot'>): void {
  if (body.author === undefined || caller.isBot) return;
  const named = body.author.toLowerCase();
  if (named === caller.handle.toLowerCase() || (caller.githubLogin && named === caller.githubLogin.toLowerCase())) return;
  throw forbidden(
    'author_not_caller',
    `You are signed in as ${caller.handle} but named ${body.author} as the author: a person submits their own changes (leave author out). Only a pipeline or bot account may submit for someone else.`,
  );
}

export async function submitViaApi(db: Db, body: SubmitChangeBody, actor: Actor, req?: Request): Promise<SubmitResult> {
  const source = req?.headers.get(CLIENT_HEADER) === 'cli' ? 'cli' : 'api';
  assertMayNameAuthor(body, actor.person);
  // No author named: the caller wrote a new change; a recorded one keeps its author (decided in the transaction).
  const { commit, ...rest } = body;
  const input: SubmitChange = { ...rest, author: body.author ?? actor.person.handle };
  return submitChange(db, input, { personId: actor.person.id, label: actor.label }, {
    headCommit: commit ?? null,
    source,
    aiEvidence: declaredAiEvidence(input, actor.person.handle),
    authorDefaulted: body.author === undefined,
    submittedBy: actor.person.id,
  });
}

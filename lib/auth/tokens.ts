// API tokens: a random secret shown once, stored as its SHA-256, scoped and revocable.
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Queryable } from '@/db/client';
import { apiTokens, people, type Person } from '@/db/schema';
import { TOKEN_SCOPES, type Role, type TokenScope } from '@/db/schema/enums';
import { appendAudit } from '@/lib/audit/chain';
import { badRequest, forbidden, notFound } from '@/lib/errors';
import { scopesForRole } from './roles';

const TOKEN_PREFIX = 'cs_';

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function isTokenScope(s: string): s is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(s);
}

export interface CreatedToken {
  id: number;
  token: string;
  prefix: string;
  scopes: TokenScope[];
  repos: string[];
}

export interface CreateTokenInput {
  personHandle: string;
  scopes: string[];
  name?: string;
  expiresAt?: Date | null;
  /** Repositories (owner/name) whose deployments the token may report. */
  repos?: string[];
  /** Who creates it: a person, or null for the command line run by the operator. */
  createdBy: Pick<Person, 'id' | 'handle'> | null;
  /** How the creator is signed in: an approve token needs its owner's own session. */
  via?: 'session' | 'token' | 'cli';
}

/**
 * Only a person can hold an approve token they asked for themselves, from their own signed-in
 * session: an administrator (or the operator's command line, or another token) never mints one
 * for them, or an administrator could approve in anyone's name.
 */
export function approveTokenProblem(scopes: readonly string[], ownerId: number, input: Pick<CreateTokenInput, 'createdBy' | 'via'>): string | null {
  if (!scopes.includes('approve')) return null;
  if (input.createdBy?.id !== ownerId) return 'An approve token can only be created by its owner, signed in, from their own page (Your tokens); an administrator cannot create one for someone else.';
  if (input.via !== 'session') return 'An approve token needs your signed-in session: create it from your own page (Your tokens), not with another token or the command line.';
  return null;
}

/** Creates a token for a person; the scopes may not exceed what the person's role allows. */
export async function createApiToken(db: Db, input: CreateTokenInput): Promise<CreatedToken> {
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw badRequest('scope_required', `Give at least one scope: ${TOKEN_SCOPES.join(', ')}.`);
  const unknown = scopes.filter((s) => !isTokenScope(s));
  if (unknown.length) throw badRequest('unknown_scope', `Unknown scope ${unknown.join(', ')}; scopes are ${TOKEN_SCOPES.join(', ')}.`);
  const [person] = await db.select().from(people).where(eq(people.handle, input.personHandle)).limit(1);
  if (!person || person.deactivatedAt) throw notFound(`Person ${input.personHandle}`);
  const allowed = scopesForRole(person.role as Role);
  const excess = (scopes as TokenScope[]).filter((s) => !allowed.includes(s));
  if (excess.length) {
    throw forbidden('scope_not_allowed', `${person.handle} is a ${person.role} and cannot hold ${excess.join(', ')}.`);
  }
  const selfOnly = approveTokenProblem(scopes, person.id, input);
  if (selfOnly) throw forbidden('approve_token_self_only', selfOnly);
  const repos = [...new Set((input.repos ?? []).map((r) => r.trim()).filter(Boolean))];
  const badRepo = repos.find((r) => !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(r));
  if (badRepo) throw badRequest('invalid_repo', `Repository ${badRepo} is not of the form owner/name.`);
  const secret = TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const prefix = secret.slice(0, 10);
  const name = input.name?.trim() || `${person.handle} token`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ personId: person.id, name, tokenHash: hashToken(secret), prefix, scopes, repos, createdById: input.createdBy?.id ?? null, expiresAt: input.expiresAt ?? null })
      .returning({ id: apiTokens.id });
    await appendAudit(tx, {
      actorId: input.createdBy?.id ?? null,
      actor: input.createdBy?.handle ?? 'cli',
      action: 'token.created',
      subjectType: 'api_token',
      subjectId: row!.id,
      payload: { person: person.handle, name, scopes, prefix, ...(repos.length ? { repos } : {}), via: input.via ?? (input.createdBy ? 'token' : 'cli') },
    });
    return { id: row!.id, token: secret, prefix, scopes: scopes as TokenScope[], repos };
  });
}

/** Revokes a token; `opts.ownerId` limits it to that person's own tokens (anyone's else: not found). */
export async function revokeApiToken(db: Db, tokenId: number, by: Pick<Person, 'id' | 'handle'>, opts: { ownerId?: number } = {}): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt), opts.ownerId === undefined ? undefined : eq(apiTokens.personId, opts.ownerId)))
      .returning({ id: apiTokens.id, prefix: apiTokens.prefix, name: apiTokens.name });
    if (!row) throw notFound('Active token');
    await appendAudit(tx, {
      actorId: by.id,
      actor: by.handle,
      action: 'token.revoked',
      subjectType: 'api_token',
      subjectId: row.id,
      payload: { name: row.name, prefix: row.prefix },
    });
  });
}

export interface TokenListItem {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  repos: string[];
  person: { handle: string; name: string; isBot: boolean; role: string };
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Every token (or one person's) with its owner, newest first: never the secret (only its prefix is kept readable). */
export async function listApiTokens(db: Queryable, opts: { personId?: number } = {}): Promise<TokenListItem[]> {
  const creator = alias(people, 'creator');
  const rows = await db
    .select({ t: apiTokens, p: { handle: people.handle, name: people.name, isBot: people.isBot, role: people.role }, createdBy: creator.handle })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.personId))
    .leftJoin(creator, eq(creator.id, apiTokens.createdById))
    .where(opts.personId === undefined ? undefined : eq(apiTokens.personId, opts.personId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(({ t, p, createdBy }) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    repos: t.repos,
    person: p,
    createdBy: createdBy ?? null,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
  }));
}

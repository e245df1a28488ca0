// Who is calling: a person signed in with a session cookie, or a bearer of an API token.
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiTokens, people, type Person } from '@/db/schema';
import type { Role, TokenScope } from '@/db/schema/enums';
import { scopesForRole } from './roles';
import { getSession, SESSION_COOKIE } from './session';
import { hashToken } from './tokens';

export interface Actor {
  person: Person;
  via: 'session' | 'token';
  scopes: ReadonlySet<TokenScope>;
  /** How the actor appears in the audit trail. */
  label: string;
  tokenId: number | null;
  /** Repositories (owner/name) a token is bound to for deployment reports; none for a session. */
  repos: readonly string[];
  csrfToken: string | null;
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eqAt = part.indexOf('=');
    if (eqAt < 0) continue;
    if (part.slice(0, eqAt).trim() === name) return decodeURIComponent(part.slice(eqAt + 1).trim());
  }
  return null;
}

const lastTouched = new Map<number, number>();

// Every API call starts here: prepared once per database, so it is planned once per connection.
const tokenQueries = new WeakMap<Db, ReturnType<typeof buildTokenQuery>>();

function buildTokenQuery(db: Db) {
  return db
    .select({ token: apiTokens, person: people })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.personId))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder('hash')), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql.placeholder('now')))))
    .limit(1)
    .prepare('actor_by_token');
}

function tokenQuery(db: Db) {
  let q = tokenQueries.get(db);
  if (!q) tokenQueries.set(db, (q = buildTokenQuery(db)));
  return q;
}

export async function resolveActor(db: Db, headers: Headers): Promise<Actor | null> {
  const auth = headers.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) return null;
    const now = new Date();
    const [row] = await tokenQuery(db).execute({ hash: hashToken(m[1]!), now: now.toISOString() });
    if (!row || row.person.deactivatedAt) return null;
    const roleScopes = scopesForRole(row.person.role as Role);
    // A token never exceeds its owner's current role, even if the role was lowered later.
    const scopes = new Set((row.token.scopes as TokenScope[]).filter((s) => roleScopes.includes(s)));
    const last = lastTouched.get(row.token.id) ?? row.token.lastUsedAt?.getTime() ?? 0;
    if (now.getTime() - last > 60_000) {
      lastTouched.set(row.token.id, now.getTime());
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
    }
    return { person: row.person, via: 'token', scopes, label: `${row.person.handle} (token ${row.token.prefix}…)`, tokenId: row.token.id, repos: row.token.repos ?? [], csrfToken: null };
  }
  const session = await getSession(db, readCookie(headers.get('cookie'), SESSION_COOKIE));
  if (!session) return null;
  return {
    person: session.person,
    via: 'session',
    scopes: new Set(scopesForRole(session.person.role as Role)),
    label: session.person.handle,
    tokenId: null,
    repos: [],
    csrfToken: session.csrfToken,
  };
}

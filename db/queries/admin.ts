// Reads for the administrator's pages: everyone with their access (role, level, active
// tokens), and the teams they can belong to.
import { asc, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { people, teams } from '@/db/schema';
import type { Role } from '@/db/schema/enums';

export interface AdminPerson {
  handle: string;
  name: string;
  title: string | null;
  email: string | null;
  level: number | null;
  role: Role;
  team: string | null;
  isBot: boolean;
  deactivated: boolean;
  /** Whether they can sign in with a password (never the hash itself). */
  hasPassword: boolean;
  activeTokens: number;
}

export async function listPeopleForAdmin(q: Queryable): Promise<AdminPerson[]> {
  const rows = await q
    .select({
      handle: people.handle,
      name: people.name,
      title: people.title,
      email: people.email,
      level: people.level,
      role: people.role,
      team: people.team,
      isBot: people.isBot,
      deactivatedAt: people.deactivatedAt,
      hasPassword: sql<boolean>`${people.passwordHash} is not null`,
      activeTokens: sql<number>`(select count(*)::int from api_tokens t where t.person_id = people.id and t.revoked_at is null and (t.expires_at is null or t.expires_at > now()))`,
    })
    .from(people)
    .orderBy(people.isBot, asc(people.name));
  return rows.map(({ deactivatedAt, ...r }) => ({ ...r, role: r.role as Role, deactivated: !!deactivatedAt, activeTokens: Number(r.activeTokens) }));
}

export async function listTeamOptions(q: Queryable): Promise<{ slug: string; name: string }[]> {
  return q.select({ slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name));
}

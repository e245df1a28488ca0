// Reads of the organisation: people, teams and the service catalog with its edges.
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { people, serviceDependencies, services, teams } from '@/db/schema';
import type { Role, Tier } from '@/db/schema/enums';

export interface PersonView {
  id: number;
  handle: string;
  name: string;
  level: number | null;
  role: Role;
  team: string | null;
  isBot: boolean;
}

export async function listPeople(q: Queryable): Promise<PersonView[]> {
  const rows = await q
    .select({ id: people.id, handle: people.handle, name: people.name, level: people.level, role: people.role, team: people.team, isBot: people.isBot })
    .from(people)
    .orderBy(asc(people.handle));
  return rows.map((r) => ({ ...r, role: r.role as Role }));
}

export interface ServiceView {
  id: number;
  slug: string;
  name: string;
  tier: Tier;
  team: string | null;
  system: string | null;
  dependsOn: string[];
}

export async function listServices(q: Queryable): Promise<ServiceView[]> {
  const [rows, edges] = await Promise.all([
    q.select({ id: services.id, slug: services.slug, name: services.name, tier: services.tier, team: services.team, system: services.system }).from(services).orderBy(asc(services.slug)),
    q.select({ serviceId: serviceDependencies.serviceId, dependsOn: services.slug }).from(serviceDependencies).innerJoin(services, eq(services.id, serviceDependencies.dependsOnId)),
  ]);
  const deps = new Map<number, string[]>();
  for (const e of edges) {
    const list = deps.get(e.serviceId) ?? [];
    list.push(e.dependsOn);
    deps.set(e.serviceId, list);
  }
  return rows.map((r) => ({ ...r, tier: r.tier as Tier, dependsOn: (deps.get(r.id) ?? []).sort() }));
}

export async function listTeams(q: Queryable) {
  return q.select().from(teams).orderBy(asc(teams.slug));
}

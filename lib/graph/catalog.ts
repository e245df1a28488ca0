// The service dependency graph, loaded from the catalog and cached per process. Every
// catalog write bumps `catalog_version` in the database; readers compare it (one
// primary-key read) so no instance ever serves a graph older than the catalog.
import { eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/db/client';
import { serviceDependencies, services, settings } from '@/db/schema';
import type { Tier } from '@/db/schema/enums';
import type { GraphService } from '@/lib/risk/types';
import { buildServiceGraph, type ServiceGraph } from './blast-radius';

export const CATALOG_VERSION_KEY = 'catalog_version';

interface Cached {
  version: string;
  graph: ServiceGraph;
  bySlug: Map<string, GraphService>;
  byId: Map<number, GraphService>;
}

let cached: Cached | null = null;

export interface CatalogGraph {
  graph: ServiceGraph;
  bySlug: Map<string, GraphService>;
  byId: Map<number, GraphService>;
}

async function currentVersion(q: Queryable): Promise<string> {
  const [row] = await q.select({ value: settings.value }).from(settings).where(eq(settings.key, CATALOG_VERSION_KEY)).limit(1);
  return row ? String(row.value) : '0';
}

export async function loadCatalogGraph(q: Queryable): Promise<CatalogGraph> {
  const version = await currentVersion(q);
  if (cached && cached.version === version) return cached;
  const [rows, edges] = await Promise.all([
    q.select({ id: services.id, slug: services.slug, tier: services.tier, team: services.team }).from(services),
    q.select({ serviceId: serviceDependencies.serviceId, dependsOnId: serviceDependencies.dependsOnId }).from(serviceDependencies),
  ]);
  const list: GraphService[] = rows.map((r) => ({ ...r, tier: r.tier as Tier }));
  const next: Cached = {
    version,
    graph: buildServiceGraph({ services: list, edges }),
    bySlug: new Map(list.map((s) => [s.slug, s])),
    byId: new Map(list.map((s) => [s.id, s])),
  };
  // Only cache what was read at a committed version (inside a transaction it may not be).
  cached = next;
  return next;
}

/** Call in the transaction that changes services or dependencies. */
export async function bumpCatalogVersion(tx: Tx): Promise<void> {
  await tx.execute(sql`
    insert into settings (key, value, updated_at) values (${CATALOG_VERSION_KEY}, to_jsonb(1), now())
    on conflict (key) do update set value = to_jsonb((settings.value #>> '{}')::bigint + 1), updated_at = now()`);
}

export function clearCatalogCache(): void {
  cached = null;
}

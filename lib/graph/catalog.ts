// The service dependency graph, loaded from the catalog and cached per process.
//
// Correctness never depends on a message arriving: every catalog write bumps `catalog_version`
// in the database to a value never used before, and every read compares it (one primary-key
// read) with the cached graph's, so no instance serves a graph older than the catalog it can
// see — whichever instance made the write. The bump also NOTIFYs the new version; an instance
// that hears it rebuilds its graph in the background, so the first request after a catalog
// import elsewhere does not pay for the rebuild. Concurrent readers of one version share one load.
import { eq, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { queryRows, type DbHandle, type Queryable, type Tx } from '@/db/client';
import { serviceDependencies, services, settings } from '@/db/schema';
import type { Tier } from '@/db/schema/enums';
import type { GraphService } from '@/lib/risk/types';
import { buildServiceGraph, type ServiceGraph } from './blast-radius';

export const CATALOG_VERSION_KEY = 'catalog_version';
/** NOTIFY channel carrying the new version after a catalog write commits. */
export const CATALOG_CHANNEL = 'countersign_catalog';

export interface CatalogGraph {
  /** The catalog version this graph was built from. */
  version: string;
  graph: ServiceGraph;
  bySlug: Map<string, GraphService>;
  byId: Map<number, GraphService>;
}

interface CacheState {
  current: CatalogGraph | null;
  /** Loads in flight, by version: concurrent readers wait for the same one. */
  loading: Map<string, Promise<CatalogGraph>>;
  /** Counts of full loads, for tests and the benchmark. */
  loads: number;
  listening: Set<DbHandle>;
}

// One cache per process, whatever module instances the server bundles create.
const globalForCatalog = globalThis as unknown as { __countersignCatalog?: CacheState };
function state(): CacheState {
  globalForCatalog.__countersignCatalog ??= { current: null, loading: new Map(), loads: 0, listening: new Set() };
  return globalForCatalog.__countersignCatalog;
}

function versionText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function readCatalogVersion(q: Queryable): Promise<string> {
  const [row] = await q.select({ value: settings.value }).from(settings).where(eq(settings.key, CATALOG_VERSION_KEY)).limit(1);
  return row ? versionText(row.value) : '0';
}

async function buildGraph(q: Queryable, version: string): Promise<CatalogGraph> {
  const [rows, edges] = await Promise.all([
    q.select({ id: services.id, slug: services.slug, tier: services.tier, team: services.team }).from(services),
    q.select({ serviceId: serviceDependencies.serviceId, dependsOnId: serviceDependencies.dependsOnId }).from(serviceDependencies),
  ]);
  state().loads++;
  const list: GraphService[] = rows.map((r) => ({ ...r, tier: r.tier as Tier }));
  return {
    version,
    graph: buildServiceGraph({ services: list, edges }),
    bySlug: new Map(list.map((s) => [s.slug, s])),
    byId: new Map(list.map((s) => [s.id, s])),
  };
}

/** The graph of the catalog as `q` sees it now: cached while the version is unchanged. */
export async function loadCatalogGraph(q: Queryable): Promise<CatalogGraph> {
  const version = await readCatalogVersion(q);
  const s = state();
  if (s.current?.version === version) return s.current;
  // Inside a transaction the catalog may hold uncommitted writes: build from what it sees, share nothing.
  if (q instanceof PgTransaction) return buildGraph(q, version);
  let loading = s.loading.get(version);
  if (!loading) {
    loading = (async () => {
      const graph = await buildGraph(q, version);
      // Cache it only if no catalog write committed while it was read (services and edges come from
      // two statements): then it is exactly that version's graph. Otherwise it serves this caller only.
      if (s.current?.version !== version && (await readCatalogVersion(q)) === version) s.current = graph;
      return graph;
    })().finally(() => s.loading.delete(version));
    s.loading.set(version, loading);
  }
  return loading;
}

/**
 * Call in the transaction that changes services or dependencies, after the writes. The new
 * version is never reused (a counter and a random part), so a rolled-back write can never
 * leave a cache entry that later matches, and other instances hear it once it commits.
 */
export async function bumpCatalogVersion(tx: Tx): Promise<string> {
  const [row] = await queryRows<{ version: string }>(tx, sql`
    insert into settings (key, value, updated_at) values (${CATALOG_VERSION_KEY}, to_jsonb('1:' || md5(random()::text || clock_timestamp()::text)), now())
    on conflict (key) do update set
      value = to_jsonb(((split_part(settings.value #>> '{}', ':', 1))::bigint + 1)::text || ':' || md5(random()::text || clock_timestamp()::text)),
      updated_at = now()
    returning value #>> '{}' as version`);
  const version = row?.version ?? (await readCatalogVersion(tx));
  // Delivered when (and only if) the transaction commits.
  await tx.execute(sql`select pg_notify(${CATALOG_CHANNEL}, ${version})`);
  return version;
}

/**
 * Listens for catalog writes made by any instance and rebuilds this process's graph in the
 * background. Purely a warm-up: readers still check the version on every call.
 */
export async function listenForCatalogChanges(handle: DbHandle): Promise<() => Promise<void>> {
  const s = state();
  if (s.listening.has(handle)) return async () => {};
  s.listening.add(handle);
  const unlisten = await handle.listen(CATALOG_CHANNEL, (version) => {
    if (state().current?.version === version) return;
    loadCatalogGraph(handle.db).catch((err: unknown) => console.error('[countersign] catalog graph reload failed:', (err as Error).message));
  });
  return async () => {
    s.listening.delete(handle);
    await unlisten();
  };
}

/** Server boot: warm the graph on catalog writes made by any instance sharing this database. */
export async function startCatalogListener(): Promise<void> {
  const { getDbHandle } = await import('@/db');
  await listenForCatalogChanges(await getDbHandle());
}

export function clearCatalogCache(): void {
  const s = state();
  s.current = null;
  s.loading.clear();
}

/** The version of the graph this process holds, if any. */
export function cachedCatalogVersion(): string | null {
  return state().current?.version ?? null;
}

/** How many times this process built the graph from the database (tests, benchmark). */
export function catalogLoadCount(): number {
  return state().loads;
}

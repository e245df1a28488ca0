// The per-process catalog graph cache: reused while the catalog version stands, rebuilt after a
// committed catalog write, never poisoned by a rolled-back one, one load shared by concurrent
// readers, and warmed in the background by the NOTIFY a write sends (the two-instance version of
// this, with two real processes, is e2e/scale.spec.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { services, serviceDependencies } from '@/db/schema';
import { bumpCatalogVersion, cachedCatalogVersion, catalogLoadCount, clearCatalogCache, listenForCatalogChanges, loadCatalogGraph, readCatalogVersion } from '@/lib/graph/catalog';
import { computeBlastRadius } from '@/lib/graph/blast-radius';
import { describeEachDb, uid } from '../support/db';

class Rollback extends Error {}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describeEachDb('catalog graph cache', ({ handle }) => {
  let stop: (() => Promise<void>) | null = null;
  beforeAll(() => clearCatalogCache());
  afterAll(async () => {
    await stop?.();
    clearCatalogCache();
  });

  async function addService(slug: string, dependsOn?: number): Promise<number> {
    const db = handle().db;
    return db.transaction(async (tx) => {
      const [row] = await tx.insert(services).values({ slug, name: slug, tier: 2 }).returning({ id: services.id });
      if (dependsOn) await tx.insert(serviceDependencies).values({ serviceId: row!.id, dependsOnId: dependsOn });
      await bumpCatalogVersion(tx);
      return row!.id;
    });
  }

  it('reuses the graph while the version stands and rebuilds it after a committed write', async () => {
    const db = handle().db;
    const first = await loadCatalogGraph(db);
    const loads = catalogLoadCount();
    expect(await loadCatalogGraph(db)).toBe(first);
    expect(catalogLoadCount()).toBe(loads);

    const core = await addService(uid('cache-core'));
    const after = await loadCatalogGraph(db);
    expect(after).not.toBe(first);
    expect(after.byId.has(core)).toBe(true);
    expect(catalogLoadCount()).toBe(loads + 1);
  });

  it('gives every write a version never used before, so a rolled-back write cannot match a cache entry', async () => {
    const db = handle().db;
    const before = await readCatalogVersion(db);
    const slug = uid('cache-rolled-back');
    let inside = '';
    await expect(db.transaction(async (tx) => {
      await tx.insert(services).values({ slug, name: slug, tier: 1 });
      inside = await bumpCatalogVersion(tx);
      // Inside the transaction the graph includes the uncommitted service…
      expect((await loadCatalogGraph(tx)).bySlug.has(slug)).toBe(true);
      throw new Rollback();
    })).rejects.toBeInstanceOf(Rollback);
    expect(inside).not.toBe(before);
    // …outside, after the rollback, it never existed.
    expect(await readCatalogVersion(db)).toBe(before);
    expect((await loadCatalogGraph(db)).bySlug.has(slug)).toBe(false);
    // The next committed write gets a version that is neither the old one nor the rolled-back one.
    await addService(uid('cache-next'));
    const next = await readCatalogVersion(db);
    expect(next).not.toBe(before);
    expect(next).not.toBe(inside);
    expect(Number(next.split(':')[0])).toBeGreaterThan(Number(before.split(':')[0]) || 0);
  });

  it('shares one load among concurrent readers of a new version', async () => {
    const db = handle().db;
    await addService(uid('cache-concurrent'));
    const loads = catalogLoadCount();
    const graphs = await Promise.all(Array.from({ length: 6 }, () => loadCatalogGraph(db)));
    expect(new Set(graphs).size).toBe(1);
    expect(catalogLoadCount()).toBe(loads + 1);
  });

  it('sees a dependency added in the database in the next blast radius', async () => {
    const db = handle().db;
    const core = await addService(uid('cache-dep-core'));
    const before = await loadCatalogGraph(db);
    expect(computeBlastRadius(before.graph, [core]).total).toBe(0);
    const shop = await addService(uid('cache-dep-shop'), core);
    const after = await loadCatalogGraph(db);
    expect(computeBlastRadius(after.graph, [core]).services.map((s) => s.slug)).toEqual([after.byId.get(shop)!.slug]);
  });

  it('rebuilds in the background when a write is notified, before anyone asks', async () => {
    const h = handle();
    stop = await listenForCatalogChanges(h);
    await loadCatalogGraph(h.db);
    const loads = catalogLoadCount();
    const slug = uid('cache-notified');
    await addService(slug);
    const version = await readCatalogVersion(h.db);
    // No graph read here: the notification alone makes this process build the new graph…
    expect(await until(() => cachedCatalogVersion() === version)).toBe(true);
    expect(catalogLoadCount()).toBe(loads + 1);
    // …so the next reader finds it ready.
    const graph = await loadCatalogGraph(h.db);
    expect(catalogLoadCount()).toBe(loads + 1);
    expect(graph.bySlug.has(slug)).toBe(true);
  });
});

// Loads the watch-outs that could apply to a change (service ones for its services and their direct
// neighbours, every path and config-key one) and keeps those that match, with the reason.
import { and, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { anyIntArray, type Queryable } from '@/db/client';
import { changes, changeServices, people, revisionFiles, services, watchouts } from '@/db/schema';
import type { WatchoutScope } from '@/db/schema/enums';
import { directDependencies, directDependents } from '@/lib/graph/blast-radius';
import { loadCatalogGraph } from '@/lib/graph/catalog';
import type { DiffFile } from '@/lib/risk/types';
import { matchWatchouts, type NeighbourService, type WatchoutMatch, type WatchoutRecord } from './match';

export async function loadWatchoutsForChange(
  q: Queryable,
  args: { touched: readonly string[]; files: readonly Pick<DiffFile, 'path' | 'oldPath' | 'hunks' | 'language'>[] },
): Promise<WatchoutMatch[]> {
  const catalog = await loadCatalogGraph(q);
  const neighbours: NeighbourService[] = [];
  for (const slug of args.touched) {
    for (const s of directDependents(catalog.graph, slug)) neighbours.push({ slug: s.slug, relation: 'dependent', of: slug });
    for (const s of directDependencies(catalog.graph, slug)) neighbours.push({ slug: s.slug, relation: 'dependency', of: slug });
  }
  const serviceIds = [...new Set([...args.touched, ...neighbours.map((n) => n.slug)])]
    .map((slug) => catalog.bySlug.get(slug)?.id)
    .filter((id): id is number => id !== undefined);
  const svc = alias(services, 'watchout_service');
  const rows = await q
    .select({
      id: watchouts.id,
      scope: watchouts.scope,
      service: svc.slug,
      pattern: watchouts.pattern,
      text: watchouts.text,
      createdAt: watchouts.createdAt,
      authorHandle: people.handle,
      authorName: people.name,
    })
    .from(watchouts)
    .innerJoin(people, eq(people.id, watchouts.authorId))
    .leftJoin(svc, eq(svc.id, watchouts.serviceId))
    .where(
      and(
        isNull(watchouts.retiredAt),
        or(ne(watchouts.scope, 'service'), serviceIds.length ? sql`${watchouts.serviceId} = ${anyIntArray(serviceIds)}` : undefined),
      ),
    );
  const records: WatchoutRecord[] = rows.map((r) => ({
    id: r.id,
    scope: r.scope as WatchoutScope,
    service: r.service,
    pattern: r.pattern,
    text: r.text,
    author: { handle: r.authorHandle, name: r.authorName },
    createdAt: r.createdAt,
  }));
  return matchWatchouts(records, { touched: args.touched, neighbours, files: args.files });
}

/** The watch-outs matching a change's current revision, by change id. */
export async function loadWatchoutsForChangeId(q: Queryable, changeId: number): Promise<WatchoutMatch[]> {
  const [touched, files] = await Promise.all([
    q.select({ slug: services.slug }).from(changeServices).innerJoin(services, eq(services.id, changeServices.serviceId)).where(eq(changeServices.changeId, changeId)),
    q
      .select({ path: revisionFiles.path, oldPath: revisionFiles.oldPath, hunks: revisionFiles.hunks, language: revisionFiles.language })
      .from(changes)
      .innerJoin(revisionFiles, eq(revisionFiles.revisionId, changes.currentRevisionId))
      .where(eq(changes.id, changeId)),
  ]);
  return loadWatchoutsForChange(q, { touched: touched.map((t) => t.slug), files });
}

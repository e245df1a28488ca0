// Imports a Backstage catalog into services, teams and dependency edges — in place, in one
// transaction with the catalog version bump and its audit event — then re-scores the open
// changes whose blast radius the new graph changes. Components and Resources are services;
// Groups are teams; APIs turn providesApis/consumesApis into edges (the consumer depends on
// the provider); Systems group services.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { serviceDependencies, services, settings, teams, type Service } from '@/db/schema';
import type { Tier } from '@/db/schema/enums';
import { insertConfirmationRequest } from '@/lib/admin/confirmations';
import { isTierLowered } from '@/lib/admin/confirmation-rules';
import { appendAudit } from '@/lib/audit/chain';
import { rescoreChanges, type RescoredChange } from '@/lib/changes/rescore';
import type { SubmitActor } from '@/lib/changes/submit';
import { tooLarge, unprocessable } from '@/lib/errors';
import { bumpCatalogVersion } from '@/lib/graph/catalog';
import { CATALOG_LIMITS, DEFAULT_TIER_ANNOTATION, parseCatalog, REPO_ANNOTATION, refKey, type CatalogEntity, type CatalogProblem, type EntityRef } from './parse';

/** Which import a service came from, so a later import of the same source can report it removed. */
export const SOURCE_ANNOTATION = 'countersign.dev/catalog-source';
export const REMOVED_ANNOTATION = 'countersign.dev/removed-from-catalog';
export const CATALOG_SETTING_KEY = 'catalog';
const IMPORT_LOCK = 7364031;

export interface ServiceChange {
  slug: string;
  fields: string[];
}

export interface ImportReport {
  source: string;
  entities: number;
  services: { added: string[]; changed: ServiceChange[]; removed: string[]; unchanged: number };
  edges: { added: [string, string][]; removed: [string, string][] };
  teams: { added: string[]; changed: string[] };
  systems: string[];
  apis: string[];
  invalid: CatalogProblem[];
  warnings: CatalogProblem[];
  ignored: { line: number; entity: string }[];
  rescored: RescoredChange[];
}

export async function getTierAnnotation(db: Db | Tx): Promise<string> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, CATALOG_SETTING_KEY)).limit(1);
  const v = (row?.value ?? {}) as { tierAnnotation?: unknown };
  return typeof v.tierAnnotation === 'string' && v.tierAnnotation ? v.tierAnnotation : DEFAULT_TIER_ANNOTATION;
}

export function serviceSlugOf(ref: Pick<EntityRef, 'namespace' | 'name'>): string {
  const name = ref.name.toLowerCase();
  return ref.namespace.toLowerCase() === 'default' ? name : `${ref.namespace.toLowerCase()}-${name}`;
}

export function teamSlugOf(name: string): string {
  return name.toLowerCase().replace(/[._]+/g, '-').replace(/^-+|-+$/g, '');
}

const isService = (e: CatalogEntity) => e.kind === 'Component' || e.kind === 'Resource';
const entityLabel = (e: CatalogEntity) => `${e.kind.toLowerCase()}:${e.namespace}/${e.name}`;

interface Desired {
  entity: CatalogEntity;
  slug: string;
  values: Pick<Service, 'name' | 'tier' | 'team' | 'system' | 'entityKind' | 'type' | 'description' | 'repo' | 'annotations'>;
}

const COMPARED = ['name', 'tier', 'team', 'system', 'entityKind', 'type', 'description', 'repo'] as const;

export async function importCatalog(db: Db, text: string, opts: { source: string; actor: SubmitActor }): Promise<ImportReport> {
  if (Buffer.byteLength(text) > CATALOG_LIMITS.maxBytes) throw tooLarge(`The catalog is larger than ${CATALOG_LIMITS.maxBytes} bytes; split it.`);
  const source = opts.source.trim().slice(0, 300) || 'upload';
  return db.transaction(async (tx) => {
    // One import at a time: each reads the catalog it replaces.
    await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
    const parsed = parseCatalog(text, { tierAnnotation: await getTierAnnotation(tx) });
    if (!parsed.entities.length && !parsed.invalid.length) {
      throw unprocessable('empty_catalog', 'No Backstage entities found: expected YAML documents with apiVersion, kind, metadata and spec.');
    }
    const report: ImportReport = {
      source,
      entities: parsed.entities.length + parsed.invalid.length + parsed.ignored.length,
      services: { added: [], changed: [], removed: [], unchanged: 0 },
      edges: { added: [], removed: [] },
      teams: { added: [], changed: [] },
      systems: parsed.entities.filter((e) => e.kind === 'System').map((e) => e.name).sort(),
      apis: parsed.entities.filter((e) => e.kind === 'API').map((e) => e.name).sort(),
      invalid: [...parsed.invalid],
      warnings: [],
      ignored: parsed.ignored,
      rescored: [],
    };
    const warn = (e: CatalogEntity, reason: string) => report.warnings.push({ line: e.line, entity: entityLabel(e), reason });

    // Teams: Groups in the file, and owners named by services.
    const existingTeams = new Map((await tx.select().from(teams)).map((t) => [t.slug, t]));
    const teamRows = new Map<string, { slug: string; name: string; description: string | null }>();
    for (const g of parsed.entities.filter((e) => e.kind === 'Group')) {
      const slug = teamSlugOf(g.name);
      if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) {
        report.invalid.push({ line: g.line, entity: entityLabel(g), reason: `group name "${g.name}" cannot be a team slug` });
        continue;
      }
      teamRows.set(slug, { slug, name: g.displayName ?? g.title ?? g.name, description: g.description });
    }

    // Services wanted by the file.
    const existing = new Map((await tx.select().from(services)).map((s) => [s.slug, s]));
    const desired = new Map<string, Desired>();
    for (const e of parsed.entities.filter(isService)) {
      const slug = serviceSlugOf(e);
      const clash = desired.get(slug);
      if (clash) {
        report.invalid.push({ line: e.line, entity: entityLabel(e), reason: `${entityLabel(clash.entity)} (line ${clash.entity.line}) already names the service ${slug}` });
        continue;
      }
      const before = existing.get(slug);
      let team: string | null = null;
      if (e.owner?.kind === 'group') {
        team = teamSlugOf(e.owner.name);
        if (!teamRows.has(team) && !existingTeams.has(team)) {
          teamRows.set(team, { slug: team, name: e.owner.name, description: null });
          warn(e, `owner group ${e.owner.name} is not in the catalog: team ${team} created`);
        }
      } else if (e.owner) {
        warn(e, `owner ${refKey(e.owner)} is not a group: no team set`);
      } else {
        warn(e, 'no spec.owner: no team set');
      }
      const tier = e.tier ?? (before?.tier as Tier | undefined) ?? 3;
      if (e.tier === null && !before) warn(e, 'no tier annotation: Tier 3 assumed');
      desired.set(slug, {
        entity: e,
        slug,
        values: {
          name: e.title ?? e.name,
          tier,
          team,
          system: e.system,
          entityKind: e.kind,
          type: e.type,
          description: e.description,
          repo: e.annotations[REPO_ANNOTATION] ?? before?.repo ?? null,
          annotations: { ...e.annotations, [SOURCE_ANNOTATION]: source },
        },
      });
    }

    // Write teams first (services reference them).
    for (const t of teamRows.values()) {
      const was = existingTeams.get(t.slug);
      if (!was) {
        await tx.insert(teams).values(t);
        report.teams.added.push(t.slug);
      } else if (was.name !== t.name || (t.description !== null && was.description !== t.description)) {
        await tx.update(teams).set({ name: t.name, ...(t.description !== null ? { description: t.description } : {}) }).where(eq(teams.slug, t.slug));
        report.teams.changed.push(t.slug);
      }
    }

    const now = new Date();
    const toInsert: (typeof services.$inferInsert)[] = [];
    for (const d of desired.values()) {
      const was = existing.get(d.slug);
      if (!was) {
        toInsert.push({ slug: d.slug, ...d.values, createdAt: now, updatedAt: now });
        report.services.added.push(d.slug);
        continue;
      }
      if (isTierLowered(was.tier, d.values.tier) && opts.actor.personId !== null) {
        // A less critical tier needs fewer sign-offs: it waits for a second administrator (issue 10).
        const id = await insertConfirmationRequest(tx, 'service.tier', d.slug, { tier: d.values.tier, before: was.tier }, { id: opts.actor.personId, label: opts.actor.label });
        warn(d.entity, `tier ${was.tier} → ${d.values.tier} waits for a second administrator (confirmation ${id}); Tier ${was.tier} is kept until then`);
        d.values = { ...d.values, tier: was.tier };
      }
      const fields: string[] = COMPARED.filter((k) => (was[k] ?? null) !== (d.values[k] ?? null));
      const wasRemoved = was.annotations[REMOVED_ANNOTATION] !== undefined;
      const annotationsChanged = JSON.stringify(sortKeys(was.annotations)) !== JSON.stringify(sortKeys(d.values.annotations));
      if (fields.length || annotationsChanged) {
        await tx.update(services).set({ ...d.values, updatedAt: now }).where(eq(services.id, was.id));
      }
      if (wasRemoved) report.services.added.push(d.slug);
      else if (fields.length) report.services.changed.push({ slug: d.slug, fields });
      else report.services.unchanged++;
    }
    const inserted = [];
    for (let i = 0; i < toInsert.length; i += 500) inserted.push(...(await tx.insert(services).values(toInsert.slice(i, i + 500)).returning()));
    for (const s of inserted) existing.set(s.slug, s);

    // Removed: imported from this source before, absent now. Kept for history, taken out of the graph.
    const removed = [...existing.values()].filter((s) => s.annotations[SOURCE_ANNOTATION] === source && !desired.has(s.slug) && s.annotations[REMOVED_ANNOTATION] === undefined);
    for (const s of removed) {
      const { [SOURCE_ANNOTATION]: _src, ...rest } = s.annotations;
      await tx.update(services).set({ annotations: { ...rest, [REMOVED_ANNOTATION]: now.toISOString() }, updatedAt: now }).where(eq(services.id, s.id));
      report.services.removed.push(s.slug);
    }

    // Edges: each service in the file gets exactly the dependencies the file gives it.
    const providers = new Map<string, string[]>();
    for (const e of parsed.entities.filter(isService)) {
      for (const api of e.providesApis) providers.set(refKey(api), [...(providers.get(refKey(api)) ?? []), serviceSlugOf(e)]);
    }
    const apiKeys = new Set(parsed.entities.filter((e) => e.kind === 'API').map((e) => refKey({ kind: 'api', namespace: e.namespace.toLowerCase(), name: e.name.toLowerCase() })));
    const wanted = new Set<string>();
    for (const d of desired.values()) {
      const e = d.entity;
      const targets = new Set<string>();
      for (const dep of e.dependsOn) {
        if (dep.kind !== 'component' && dep.kind !== 'resource') {
          warn(e, `depends on ${refKey(dep)}: only components and resources are services, skipped`);
          continue;
        }
        const slug = serviceSlugOf(dep);
        if (!existing.has(slug)) warn(e, `depends on ${refKey(dep)}, which is in neither this catalog nor Countersign: skipped`);
        else targets.add(slug);
      }
      for (const api of e.consumesApis) {
        const provs = providers.get(refKey(api)) ?? [];
        if (!provs.length) warn(e, `consumes ${refKey(api)}${apiKeys.has(refKey(api)) ? '' : ' (not in this catalog)'}, which no component here provides: skipped`);
        for (const p of provs) if (existing.has(p)) targets.add(p);
      }
      targets.delete(d.slug);
      for (const t of targets) wanted.add(`${d.slug}\u0000${t}`);
    }
    const fileIds = [...desired.keys()].map((s) => existing.get(s)!.id);
    const removedIds = removed.map((s) => s.id);
    const slugById = new Map([...existing.values()].map((s) => [s.id, s.slug]));
    const current = fileIds.length || removedIds.length
      ? await tx
          .select()
          .from(serviceDependencies)
          .where(sql`${inArray(serviceDependencies.serviceId, [...fileIds, ...removedIds, -1])} or ${inArray(serviceDependencies.dependsOnId, [...removedIds, -1])}`)
      : [];
    const have = new Set<string>();
    const toDelete: typeof current = [];
    for (const edge of current) {
      const key = `${slugById.get(edge.serviceId)}\u0000${slugById.get(edge.dependsOnId)}`;
      if (wanted.has(key)) have.add(key);
      else toDelete.push(edge);
    }
    for (const edge of toDelete) {
      await tx.delete(serviceDependencies).where(sql`${serviceDependencies.serviceId} = ${edge.serviceId} and ${serviceDependencies.dependsOnId} = ${edge.dependsOnId}`);
      report.edges.removed.push([slugById.get(edge.serviceId)!, slugById.get(edge.dependsOnId)!]);
    }
    const toAdd = [...wanted].filter((k) => !have.has(k)).map((k) => k.split('\u0000') as [string, string]);
    for (let i = 0; i < toAdd.length; i += 1000) {
      await tx
        .insert(serviceDependencies)
        .values(toAdd.slice(i, i + 1000).map(([from, to]) => ({ serviceId: existing.get(from)!.id, dependsOnId: existing.get(to)!.id, source: 'catalog' })))
        .onConflictDoNothing();
    }
    report.edges.added = toAdd;

    const graphChanged = report.services.added.length + report.services.changed.length + report.services.removed.length + report.edges.added.length + report.edges.removed.length > 0;
    if (graphChanged) await bumpCatalogVersion(tx);
    await appendAudit(tx, {
      actorId: opts.actor.personId,
      actor: opts.actor.label,
      action: 'catalog.imported',
      subjectType: 'catalog',
      subjectId: source,
      payload: {
        source,
        services: { added: report.services.added, changed: report.services.changed.map((c) => c.slug), removed: report.services.removed, unchanged: report.services.unchanged },
        edges: { added: report.edges.added.length, removed: report.edges.removed.length },
        teams: report.teams,
        invalid: report.invalid.length,
        warnings: report.warnings.length,
      },
    });
    if (graphChanged) report.rescored = await rescoreChanges(tx, { reason: 'catalog.imported', actor: opts.actor, onlyIfGraphChanged: true });
    report.invalid.sort((a, b) => a.line - b.line);
    report.warnings.sort((a, b) => a.line - b.line);
    return report;
  });
}

function sortKeys(o: Record<string, string>): [string, string][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}

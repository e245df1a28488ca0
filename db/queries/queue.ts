// The review queue: changes by risk, highest first, with keyset pagination on
// (risk_score, id) so any page costs the same however deep it is.
import { and, desc, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { changes, changeServices, people, services } from '@/db/schema';
import type { AiLevel, ChangeStatus, RiskLevel, Tier } from '@/db/schema/enums';

export interface QueueFilters {
  status?: ChangeStatus;
  tier?: Tier;
  service?: string;
  team?: string;
  ai?: AiLevel;
  risk?: RiskLevel;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface QueueItem {
  id: number;
  externalId: string;
  title: string;
  status: ChangeStatus;
  riskScore: number;
  riskLevel: RiskLevel;
  tier: Tier;
  aiLevel: AiLevel;
  aiTool: string | null;
  kind: string;
  environment: string;
  unmapped: boolean;
  destructive: boolean;
  services: { slug: string; tier: Tier }[];
  author: { handle: string; name: string; isBot: boolean };
  blastRadius: { total: number; tier1: number };
  approvals: { required: number; valid: number };
  createdAt: string;
}

export function encodeCursor(score: number, id: number): string {
  return Buffer.from(`${score}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { score: number; id: number } | null {
  if (!cursor) return null;
  const m = /^(\d{1,3}):(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { score: Number(m[1]), id: Number(m[2]) } : null;
}

export async function listQueue(q: Queryable, f: QueueFilters): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const where: SQL[] = [eq(changes.status, f.status ?? 'pending')];
  if (f.tier) where.push(eq(changes.topTier, f.tier));
  if (f.ai) where.push(eq(changes.aiLevel, f.ai));
  if (f.risk) where.push(eq(changes.riskLevel, f.risk));
  if (f.service) {
    where.push(sql`exists (select 1 from ${changeServices} cs join ${services} s on s.id = cs.service_id where cs.change_id = ${changes.id} and s.slug = ${f.service})`);
  }
  if (f.team) {
    where.push(sql`exists (select 1 from ${changeServices} cs join ${services} s on s.id = cs.service_id where cs.change_id = ${changes.id} and s.team = ${f.team})`);
  }
  if (f.q?.trim()) {
    const like = `%${f.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(changes.title, like), ilike(changes.externalId, like))!);
  }
  const cursor = decodeCursor(f.cursor);
  if (cursor) where.push(or(lt(changes.riskScore, cursor.score), and(eq(changes.riskScore, cursor.score), lt(changes.id, cursor.id)))!);

  const rows = await q
    .select({
      id: changes.id,
      externalId: changes.externalId,
      title: changes.title,
      status: changes.status,
      riskScore: changes.riskScore,
      riskLevel: changes.riskLevel,
      tier: changes.topTier,
      aiLevel: changes.aiLevel,
      aiTool: changes.aiTool,
      kind: changes.kind,
      environment: changes.environment,
      unmapped: changes.unmapped,
      destructive: changes.destructive,
      blastTotal: changes.blastTotal,
      blastTier1: changes.blastTier1,
      required: changes.requiredApprovals,
      valid: changes.validApprovals,
      createdAt: changes.createdAt,
      authorHandle: people.handle,
      authorName: people.name,
      authorIsBot: people.isBot,
    })
    .from(changes)
    .innerJoin(people, eq(people.id, changes.authorId))
    .where(and(...where))
    .orderBy(desc(changes.riskScore), desc(changes.id))
    .limit(limit + 1);

  const page = rows.slice(0, limit);
  const svcRows = page.length
    ? await q
        .select({ changeId: changeServices.changeId, slug: services.slug, tier: services.tier })
        .from(changeServices)
        .innerJoin(services, eq(services.id, changeServices.serviceId))
        .where(inArray(changeServices.changeId, page.map((r) => r.id)))
    : [];
  const svcBy = new Map<number, { slug: string; tier: Tier }[]>();
  for (const s of svcRows) svcBy.set(s.changeId, [...(svcBy.get(s.changeId) ?? []), { slug: s.slug, tier: s.tier as Tier }]);

  const items: QueueItem[] = page.map((r) => ({
    id: r.id,
    externalId: r.externalId,
    title: r.title,
    status: r.status as ChangeStatus,
    riskScore: r.riskScore,
    riskLevel: r.riskLevel as RiskLevel,
    tier: r.tier as Tier,
    aiLevel: r.aiLevel as AiLevel,
    aiTool: r.aiTool,
    kind: r.kind,
    environment: r.environment,
    unmapped: r.unmapped,
    destructive: r.destructive,
    services: (svcBy.get(r.id) ?? []).sort((a, b) => a.tier - b.tier || a.slug.localeCompare(b.slug)),
    author: { handle: r.authorHandle, name: r.authorName, isBot: r.authorIsBot },
    blastRadius: { total: r.blastTotal, tier1: r.blastTier1 },
    approvals: { required: r.required, valid: r.valid },
    createdAt: r.createdAt.toISOString(),
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.riskScore, last.id) : null };
}

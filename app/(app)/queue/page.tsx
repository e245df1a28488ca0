import type { Metadata } from 'next';
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { getDb } from '@/db';
import { listServices, listTeams } from '@/db/queries/org';
import { listQueue } from '@/db/queries/queue';
import { QueueView } from '@/components/queue/queue-view';
import { requireSession } from '@/lib/auth/current';
import { queryKeys } from '@/lib/query/keys';
import { readQueueSearchParams, toQueueFilters } from '@/lib/queue/params';
import { normalizeFilters, QUEUE_PAGE_SIZE, queueSearchString } from '@/lib/queue/url';

export const metadata: Metadata = { title: 'Review queue' };
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Server-rendered first page, hydrated into the client island that filters, pages and navigates. */
export default async function QueuePage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession('/queue');
  const query = readQueueSearchParams(await searchParams);
  const filters = normalizeFilters({ ...query, tier: query.tier, limit: undefined, cursor: undefined });
  const db = await getDb();
  const [first, services, teams] = await Promise.all([
    listQueue(db, toQueueFilters({ ...query, limit: QUEUE_PAGE_SIZE, cursor: undefined }, session.person.id)),
    listServices(db),
    listTeams(db),
  ]);
  const client = new QueryClient();
  client.setQueryData(queryKeys.queue(filters), { pages: [first], pageParams: [null] });
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <QueueView
        // A navigation to other filters (a shared link, the nav) starts the island afresh.
        key={queueSearchString(filters)}
        initialFilters={filters}
        pageSize={QUEUE_PAGE_SIZE}
        services={services.map((s) => ({ slug: s.slug, tier: s.tier, team: s.team }))}
        teams={teams.map((t) => ({ slug: t.slug, name: t.name }))}
        viewer={{ handle: session.person.handle, canReview: ['senior', 'director', 'vp'].includes(session.person.role) }}
        renderedAt={new Date().toISOString()}
      />
    </HydrationBoundary>
  );
}

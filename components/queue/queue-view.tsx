'use client';
// The queue's client island: filters kept in the URL (shareable), pages loaded by cursor over
// GET /api/v1/changes with React Query, and keyboard navigation (j/k, Enter, /).
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { QueueItem } from '@/db/queries/queue';
import type { Tier } from '@/db/schema/enums';
import { apiFetch } from '@/lib/http/client-fetch';
import { queryKeys } from '@/lib/query/keys';
import { loadSelected, saveOrder, saveSelected } from '@/lib/queue/session';
import { queueSearchString, type QueueFilterState } from '@/lib/queue/url';
import { QueueEmpty } from './queue-empty';
import { QueueTable } from './queue-table';
import { QueueToolbar } from './queue-toolbar';
import { useQueueKeyboard } from './use-queue-keyboard';

export interface QueueViewProps {
  initialFilters: QueueFilterState;
  pageSize: number;
  services: { slug: string; tier: Tier; team: string | null }[];
  teams: { slug: string; name: string }[];
  viewer: { handle: string; canReview: boolean };
  renderedAt: string;
}

interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export function QueueView({ initialFilters, pageSize, services, teams, viewer, renderedAt }: QueueViewProps) {
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setFilters] = useState<QueueFilterState>(initialFilters);
  // After Back, the selection comes back where j/k left it (per queue URL, in this tab). The rows
  // are fetched in the browser, so the server renders none and nothing mismatches on hydration.
  const [selected, setSelected] = useState(() =>
    typeof window === 'undefined' ? -1 : loadSelected(`${window.location.pathname}${queueSearchString(initialFilters)}`),
  );
  // Remounts the toolbar (and its search text) when the filters are cleared from outside it.
  const [toolbarKey, setToolbarKey] = useState(0);
  const [now, setNow] = useState(() => new Date(renderedAt));
  const searchRef = useRef<HTMLInputElement>(null);

  const query = useInfiniteQuery({
    queryKey: queryKeys.queue(filters),
    queryFn: ({ pageParam, signal }) =>
      apiFetch<QueuePage>(`/api/v1/changes${queueSearchString({ ...filters, limit: pageSize, cursor: pageParam ?? undefined }) || '?'}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  // The URL mirrors the filters without a server round trip, so a view can be shared as a link.
  useEffect(() => {
    const url = `${pathname}${queueSearchString(filters)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, '', url);
  }, [filters, pathname]);

  useEffect(() => {
    const t = window.setInterval(() => setNow(new Date()), 60_000);
    return () => window.clearInterval(t);
  }, []);

  const update = useCallback((patch: QueueFilterState) => {
    setFilters((f) => {
      const next: QueueFilterState = { ...f, ...patch };
      for (const k of Object.keys(next) as (keyof QueueFilterState)[]) if (!next[k]) delete next[k];
      return next;
    });
    setSelected(-1);
  }, []);

  const open = useCallback((index: number) => {
    const item = items[index];
    if (item) router.push(`/changes/${item.id}`);
  }, [items, router]);

  useQueueKeyboard({
    count: items.length,
    selected,
    setSelected,
    onOpen: open,
    searchRef,
    onNeedMore: () => {
      if (query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
    },
  });

  useEffect(() => {
    saveSelected(`${pathname}${queueSearchString(filters)}`, selected);
  }, [selected, pathname, filters]);
  // The order n/p follow on a change page.
  useEffect(() => {
    if (items.length) saveOrder({ url: `${pathname}${queueSearchString(filters)}`, ids: items.map((c) => c.id) });
  }, [items, pathname, filters]);

  useEffect(() => {
    if (selected < 0) return;
    const el = document.querySelector<HTMLElement>(`[data-queue-index="${selected}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [selected, items.length]);

  const filtered = Object.keys(filters).some((k) => k !== 'reviewer');
  const updating = query.isFetching && !query.isFetchingNextPage;

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold tracking-tight">Review queue</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            {headline(filters)}
          </p>
        </div>
        <p className="hidden text-xs text-zinc-500 md:block dark:text-zinc-400" aria-hidden>
          <Kbd>j</Kbd> <Kbd>k</Kbd> move · <Kbd>Enter</Kbd> open · <Kbd>/</Kbd> search · on a change <Kbd>?</Kbd> keys
        </p>
      </div>

      <a
        href="#queue-changes"
        onClick={(e) => {
          e.preventDefault();
          const first = [...document.querySelectorAll<HTMLAnchorElement>('#queue-changes a[href^="/changes/"]')].find((a) => a.offsetParent !== null);
          first?.focus();
          if (items.length) setSelected((s) => (s < 0 ? 0 : s));
        }}
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 dark:bg-zinc-900"
      >
        Skip to the first change
      </a>
      <QueueToolbar key={toolbarKey} filters={filters} onChange={update} services={services} teams={teams} searchRef={searchRef} viewer={viewer} />

      {query.isError && !items.length ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
          Could not load the queue: {query.error.message}{' '}
          <button type="button" className="font-medium underline" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      ) : items.length === 0 && !query.isPending ? (
        <QueueEmpty mine={filters.reviewer === 'me'} filtered={filtered} onClear={() => {
            setFilters(filters.reviewer ? { reviewer: filters.reviewer } : {});
            setToolbarKey((k) => k + 1);
          }} canReview={viewer.canReview} />
      ) : (
        <div id="queue-changes" className={`transition-opacity ${updating && query.isPlaceholderData ? 'opacity-60' : ''}`} aria-busy={updating}>
          <QueueTable items={items} selected={selected} onSelect={setSelected} now={now} />
          <div className="mt-3 flex items-center justify-between text-xs text-zinc-500 dark:text-zinc-400">
            <span className="tabular" data-testid="queue-count">
              Showing {items.length} {items.length === 1 ? 'change' : 'changes'}
              {query.hasNextPage ? ', more below' : ''}
            </span>
            {query.hasNextPage ? (
              <button
                type="button"
                onClick={() => void query.fetchNextPage()}
                disabled={query.isFetchingNextPage}
                className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-700 shadow-xs hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
              >
                {query.isFetchingNextPage ? 'Loading…' : `Load ${pageSize} more`}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}

function headline(f: QueueFilterState): string {
  const what: Record<string, string> = {
    approved: 'Approved changes waiting to deploy',
    deployed: 'Deployed changes',
    rejected: 'Rejected changes',
    rolled_back: 'Rolled-back changes',
    all: 'Changes of every status',
  };
  const subject = f.status ? (what[f.status] ?? 'Changes') : 'Pending changes';
  return `${subject}${f.reviewer === 'me' ? ' where you are a suggested reviewer' : ''}, most dangerous first.`;
}

function Kbd({ children }: { children: React.ReactNode }) {
  return <kbd className="rounded border border-zinc-300 bg-white px-1 font-mono text-[10px] text-zinc-600 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">{children}</kbd>;
}

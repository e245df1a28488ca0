'use client';
// Picks the revision to look at; older ones stay viewable, the current one is marked.
import { usePathname, useRouter } from 'next/navigation';
import type { RevisionSummary } from '@/db/queries/change-detail';

export function RevisionSelect({ revisions, shown }: { revisions: RevisionSummary[]; shown: number }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <label className="flex min-w-0 max-w-full items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
      Revision
      <select
        aria-label="Revision"
        value={shown}
        onChange={(e) => {
          const n = Number(e.target.value);
          const current = revisions.find((r) => r.current)?.number;
          router.push(n === current ? pathname : `${pathname}?revision=${n}`);
        }}
        className="min-w-0 max-w-full truncate rounded-md border border-zinc-300 bg-white py-1 pr-7 pl-2 text-sm text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {[...revisions].reverse().map((r) => (
          <option key={r.number} value={r.number}>
            {`#${r.number} · ${r.sha.slice(0, 7)} · risk ${r.risk.score}${r.current ? ' · current' : ''}`}
          </option>
        ))}
      </select>
    </label>
  );
}

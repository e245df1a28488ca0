'use client';
// Break-glass on the change page: an active override in red with who, why and until when;
// the follow-up review that two seniors still owe; and, for directors and VPs, the form
// that opens one (justified, time-boxed) or closes it early.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';
import { queryKeys } from '@/lib/query/keys';

export interface BreakGlassItem {
  id: number;
  state: 'active' | 'closed' | 'expired';
  openedBy: { handle: string; name: string; role: string };
  justification: string;
  incidentRef: string | null;
  openedAt: string;
  expiresAt: string;
  closedAt: string | null;
  revision: { id: number; number: number } | null;
  followUp: { completedAt: string | null; reviewers: string[]; required: number };
}

const ROLE: Record<string, string> = { director: 'Director', vp: 'VP' };
const MIN_JUSTIFICATION = 10;

function utc(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function left(iso: string, now: number): string {
  const min = Math.max(0, Math.round((new Date(iso).getTime() - now) / 60_000));
  return min >= 60 ? `${Math.floor(min / 60)} h ${min % 60} min left` : `${min} min left`;
}

export function BreakGlassPanel({
  changeId,
  initial,
  canOpen,
  defaultHours,
  maxHours,
  now: renderedAt,
}: {
  changeId: number;
  initial: BreakGlassItem[];
  canOpen: boolean;
  defaultHours: number;
  maxHours: number;
  now: number;
}) {
  const router = useRouter();
  const qc = useQueryClient();
  const ids = { why: useId(), hours: useId(), ref: useId() };
  const [open, setOpen] = useState(false);
  const [justification, setJustification] = useState('');
  const [hours, setHours] = useState(defaultHours);
  const [incidentRef, setIncidentRef] = useState('');
  const [error, setError] = useState<string | null>(null);

  const { data: items = initial } = useQuery({
    queryKey: queryKeys.breakGlass(changeId),
    queryFn: ({ signal }) => apiFetch<{ items: BreakGlassItem[] }>(`/api/v1/changes/${changeId}/break-glass`, { signal }).then((r) => r.items),
    initialData: initial,
    staleTime: 10_000,
  });

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: queryKeys.change(changeId) });
    router.refresh();
  };
  const openIt = useMutation({
    mutationFn: () => apiFetch(`/api/v1/changes/${changeId}/break-glass`, { body: { justification: justification.trim(), hours, incidentRef: incidentRef.trim() || null } }),
    onMutate: () => setError(null),
    onSuccess: async () => {
      setOpen(false);
      setJustification('');
      setIncidentRef('');
      await refresh();
    },
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server; no override was opened.'),
  });
  const closeIt = useMutation({
    mutationFn: () => apiFetch(`/api/v1/changes/${changeId}/break-glass`, { method: 'DELETE' }),
    onMutate: () => setError(null),
    onSuccess: refresh,
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server; the override is still open.'),
  });

  const active = items.find((g) => g.state === 'active');
  const past = items.filter((g) => g.state !== 'active');
  const hourChoices = [...new Set([1, 2, 4, 8, defaultHours, maxHours])].filter((h) => h > 0 && h <= maxHours).sort((a, b) => a - b);
  if (!active && !past.length && !canOpen) return null;

  return (
    <div className="space-y-2" data-testid="break-glass">
      {active ? (
        <div role="alert" className="rounded-md bg-red-600 px-3 py-2.5 text-sm text-white shadow-sm dark:bg-red-700" data-testid="break-glass-active">
          <p className="font-semibold">Break-glass override active — the gate allows deploys without sign-off</p>
          <p className="mt-1 text-[13px] text-red-50">
            Opened by <span className="font-medium text-white">{active.openedBy.name}</span> ({ROLE[active.openedBy.role] ?? active.openedBy.role}) at {utc(active.openedAt)}, until{' '}
            <span className="font-medium text-white">{utc(active.expiresAt)}</span> ({left(active.expiresAt, renderedAt)}).
          </p>
          <p className="mt-1 text-[13px] text-red-50">
            “{active.justification}”{active.incidentRef ? <> · {active.incidentRef}</> : null}
          </p>
          <FollowUp g={active} light />
          {canOpen ? (
            <button
              type="button"
              disabled={closeIt.isPending}
              onClick={() => closeIt.mutate()}
              className="mt-2 rounded-md bg-white/15 px-2.5 py-1 text-xs font-semibold text-white ring-1 ring-white/40 hover:bg-white/25 disabled:opacity-60"
            >
              {closeIt.isPending ? 'Closing…' : 'Close the override now'}
            </button>
          ) : null}
        </div>
      ) : null}

      {past.length ? (
        <ul className="space-y-1.5 text-xs text-zinc-600 dark:text-zinc-300">
          {past.map((g) => (
            <li key={g.id} className="rounded-md px-2.5 py-1.5 ring-1 ring-red-600/20 dark:ring-red-400/25">
              <span className="font-medium text-red-700 dark:text-red-300">Break-glass</span> by {g.openedBy.name}, {utc(g.openedAt)} → {utc(g.closedAt ?? g.expiresAt)} ({g.state}): “{g.justification}”
              <FollowUp g={g} />
            </li>
          ))}
        </ul>
      ) : null}

      {canOpen && !active ? (
        open ? (
          <form
            aria-label="Open a break-glass override"
            className="space-y-2 rounded-md border border-red-300 bg-red-50/60 p-3 dark:border-red-500/40 dark:bg-red-500/5"
            onSubmit={(e) => {
              e.preventDefault();
              openIt.mutate();
            }}
          >
            <p className="text-xs text-red-900 dark:text-red-200">
              For an incident only. The gate will allow deploys of this change without sign-off until the override expires; it is recorded in the audit trail and two seniors must review what went out afterwards.
            </p>
            <label htmlFor={ids.why} className="block text-xs font-medium text-zinc-700 dark:text-zinc-200">
              Justification <span className="font-normal text-zinc-500 dark:text-zinc-400">(the incident and why this change cannot wait)</span>
            </label>
            <textarea
              id={ids.why}
              required
              minLength={MIN_JUSTIFICATION}
              rows={3}
              value={justification}
              onChange={(e) => setJustification(e.target.value)}
              className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-red-500 focus:ring-2 focus:ring-red-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950"
            />
            <div className="flex flex-wrap items-end gap-3">
              <label className="text-xs font-medium text-zinc-700 dark:text-zinc-200" htmlFor={ids.hours}>
                Lasts
                <select
                  id={ids.hours}
                  value={hours}
                  onChange={(e) => setHours(Number(e.target.value))}
                  className="mt-1 block rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
                >
                  {hourChoices.map((h) => (
                    <option key={h} value={h}>
                      {h} hour{h === 1 ? '' : 's'}
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-xs font-medium text-zinc-700 dark:text-zinc-200" htmlFor={ids.ref}>
                Incident
                <input
                  id={ids.ref}
                  value={incidentRef}
                  onChange={(e) => setIncidentRef(e.target.value)}
                  placeholder="INC-2041"
                  className="mt-1 block w-32 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
                />
              </label>
            </div>
            <div className="flex items-center gap-2">
              <button
                type="submit"
                disabled={openIt.isPending || justification.trim().length < MIN_JUSTIFICATION}
                className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 disabled:opacity-50"
              >
                {openIt.isPending ? 'Opening…' : 'Open override'}
              </button>
              <button type="button" onClick={() => setOpen(false)} className="px-2 py-1 text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <button
            type="button"
            onClick={() => setOpen(true)}
            className="rounded-md border border-red-300 px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50 dark:border-red-500/40 dark:text-red-300 dark:hover:bg-red-500/10"
          >
            Break glass…
          </button>
        )
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/10 dark:text-red-200">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function FollowUp({ g, light = false }: { g: BreakGlassItem; light?: boolean }) {
  const done = g.followUp.completedAt;
  const who = g.followUp.reviewers.length ? ` (${g.followUp.reviewers.join(', ')})` : '';
  const base = light ? 'text-red-50' : done ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-800 dark:text-amber-300';
  return (
    <p className={`mt-1 text-xs ${base}`} data-testid="break-glass-follow-up">
      {done
        ? `Follow-up review completed ${utc(done)}${who}.`
        : `Follow-up review: ${g.followUp.reviewers.length} of ${g.followUp.required} seniors have approved${g.revision ? ` revision ${g.revision.number}` : ''}${who}.`}
    </p>
  );
}

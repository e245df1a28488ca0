'use client';
// The queue's filters: "All pending" / "Needs my review", a search box and one select per dimension.
import { useEffect, useState, type RefObject } from 'react';
import { AI_LEVELS, RISK_LEVELS, type Tier } from '@/db/schema/enums';
import type { QueueFilterState } from '@/lib/queue/url';

/** The status filter's words: `approved` waits for its deploy. */
export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  approved: 'Approved, waiting to deploy',
  deployed: 'Deployed',
  rejected: 'Rejected',
  rolled_back: 'Rolled back',
  all: 'All statuses',
};

const AI_LABELS: Record<string, string> = { none: 'Human only', assisted: 'AI-assisted', generated: 'AI-generated', agent: 'AI agent' };

interface Props {
  filters: QueueFilterState;
  onChange: (patch: QueueFilterState) => void;
  services: { slug: string; tier: Tier; team: string | null }[];
  teams: { slug: string; name: string }[];
  searchRef: RefObject<HTMLInputElement | null>;
  viewer: { handle: string; canReview: boolean };
}

export function QueueToolbar({ filters, onChange, services, teams, searchRef, viewer }: Props) {
  const [text, setText] = useState(filters.q ?? '');
  // Typing settles for a moment before it becomes a filter (and a request).
  useEffect(() => {
    const t = window.setTimeout(() => {
      if ((filters.q ?? '') !== text.trim()) onChange({ q: text.trim() });
    }, 250);
    return () => window.clearTimeout(t);
  }, [text, filters.q, onChange]);

  const mine = filters.reviewer === 'me';
  const active = (['tier', 'risk', 'ai', 'team', 'service', 'q'] as const).filter((k) => filters[k]);
  return (
    <div className="mb-3 flex flex-wrap items-center gap-2">
      <div role="tablist" aria-label="Which changes" className="flex rounded-md border border-zinc-200 bg-white p-0.5 dark:border-zinc-800 dark:bg-zinc-900">
        <Tab selected={!mine} onClick={() => onChange({ reviewer: '' })}>
          {filters.status ? 'All' : 'All pending'}
        </Tab>
        <Tab selected={mine} onClick={() => onChange({ reviewer: 'me' })} title={viewer.canReview ? 'Changes where you are a suggested reviewer and have not decided yet' : 'Only seniors, directors and VPs are suggested as reviewers'}>
          Needs my review
        </Tab>
      </div>

      <div className="relative min-w-0 flex-1 basis-full sm:basis-auto sm:min-w-56 sm:max-w-xs">
        <input
          ref={searchRef}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ q: text.trim() });
          }}
          placeholder="Search title, PR or author"
          aria-label="Search changes"
          className="w-full rounded-md border border-zinc-300 bg-white py-1.5 pr-8 pl-2.5 text-sm placeholder:text-zinc-400 focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-500"
        />
        <kbd className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-zinc-300 px-1 font-mono text-[10px] text-zinc-400 dark:border-zinc-700">/</kbd>
      </div>

      <label>
        <span className="sr-only">Status</span>
        <select
          aria-label="Status"
          value={filters.status ?? 'pending'}
          onChange={(e) => onChange({ status: e.target.value === 'pending' ? '' : e.target.value })}
          className={`max-w-52 rounded-md border py-1.5 pr-7 pl-2.5 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none ${
            filters.status
              ? 'border-accent-500 bg-accent-50 font-medium text-accent-700 dark:border-accent-500 dark:bg-accent-500/15 dark:text-accent-100'
              : 'border-zinc-300 bg-white text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300'
          }`}
        >
          {Object.entries(STATUS_LABELS).map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </label>
      <Select label="Tier" value={filters.tier} onChange={(v) => onChange({ tier: v })} options={[['1', 'Tier 1'], ['2', 'Tier 2'], ['3', 'Tier 3']]} />
      <Select label="Risk" value={filters.risk} onChange={(v) => onChange({ risk: v })} options={[...RISK_LEVELS].reverse().map((r) => [r, r[0]!.toUpperCase() + r.slice(1)])} />
      <Select label="AI" value={filters.ai} onChange={(v) => onChange({ ai: v })} options={AI_LEVELS.map((a) => [a, AI_LABELS[a]!])} />
      <Select label="Team" value={filters.team} onChange={(v) => onChange({ team: v })} options={teams.map((t) => [t.slug, t.name])} />
      <Select label="Service" value={filters.service} onChange={(v) => onChange({ service: v })} options={services.map((s) => [s.slug, `${s.slug} · T${s.tier}`])} />

      {active.length ? (
        <button
          type="button"
          onClick={() => {
            setText('');
            onChange({ tier: '', risk: '', ai: '', team: '', service: '', q: '' });
          }}
          className="rounded-md px-2 py-1.5 text-sm text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

function Tab({ selected, onClick, children, title }: { selected: boolean; onClick: () => void; children: React.ReactNode; title?: string }) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={selected}
      onClick={onClick}
      title={title}
      className={`rounded px-2.5 py-1 text-sm font-medium ${
        selected ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100'
      }`}
    >
      {children}
    </button>
  );
}

function Select({ label, value, onChange, options }: { label: string; value: string | undefined; onChange: (v: string) => void; options: (readonly [string, string])[] }) {
  const set = !!value;
  return (
    <label className="relative">
      <span className="sr-only">{label}</span>
      <select
        aria-label={label}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value)}
        className={`max-w-44 rounded-md border py-1.5 pr-7 pl-2.5 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none ${
          set
            ? 'border-accent-500 bg-accent-50 font-medium text-accent-700 dark:border-accent-500 dark:bg-accent-500/15 dark:text-accent-100'
            : 'border-zinc-300 bg-white text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300'
        }`}
      >
        <option value="">{`${label}: all`}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

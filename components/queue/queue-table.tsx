'use client';
// One row per pending change: what it risks, what it touches, who made it and how, who should look.
import Link from 'next/link';
import type { QueueItem } from '@/db/queries/queue';
import { AiBadge, RiskBadge, TierBadge } from '@/components/ui/badges';
import { formatAge } from '@/lib/format';
import { BLOCKER_SHORT } from '@/lib/queue/blockers';
import { FACTOR_LABELS } from '@/components/change/risk-panel';

interface Props {
  items: QueueItem[];
  selected: number;
  onSelect: (i: number) => void;
  now: Date;
}

export function QueueTable({ items, selected, onSelect, now }: Props) {
  return (
    <>
    {/* Narrow screens: one card per change, in the same order and with the same selection. */}
    <ol className="space-y-2 md:hidden" aria-label="Changes">
      {items.map((c, i) => (
        <QueueCard key={c.id} item={c} index={i} selected={i === selected} onSelect={onSelect} now={now} />
      ))}
    </ol>
    <div className="hidden overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs md:block dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full min-w-[940px] table-fixed text-left text-sm" aria-label={items.every((c) => c.status === 'pending') ? 'Pending changes' : 'Changes'}>
        <colgroup>
          <col className="w-[96px]" />
          <col />
          <col className="w-[176px]" />
          <col className="w-[92px]" />
          <col className="w-[112px]" />
          <col className="w-[78px]" />
          <col className="w-[84px]" />
          <col className="w-[76px]" />
          <col className="w-[52px]" />
        </colgroup>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Risk</th>
            <th scope="col" className="px-3 py-2 font-medium">Change</th>
            <th scope="col" className="px-3 py-2 font-medium">Services</th>
            <th scope="col" className="px-3 py-2 font-medium">AI</th>
            <th scope="col" className="px-3 py-2 font-medium">Author</th>
            <th scope="col" className="px-3 py-2 text-right font-medium" title="Transitive dependents / Tier-1 among them">Blast radius</th>
            <th scope="col" className="px-3 py-2 text-right font-medium" title="Valid approvals on the current revision / required">Approvals</th>
            <th scope="col" className="px-3 py-2 font-medium">Reviewers</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Age</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {items.map((c, i) => (
            <QueueRow key={c.id} item={c} index={i} selected={i === selected} onSelect={onSelect} now={now} />
          ))}
        </tbody>
      </table>
    </div>
    </>
  );
}

/** The heaviest stored factors in words, and what the gate will refuse whatever the approvals. */
function WhyLine({ item: c }: { item: QueueItem }) {
  return (
    <>
      {c.blockedBy.length ? (
        <div className="mt-1 text-xs font-medium text-red-700 dark:text-red-300" data-testid="gate-blocks">
          <span className="mr-1 rounded bg-red-600 px-1 text-[10px] font-semibold text-white uppercase">Blocked</span>Gate blocks whatever the approvals: {c.blockedBy.map((r) => BLOCKER_SHORT[r] ?? r).join(', ')}
        </div>
      ) : null}
      {c.topFactors.length ? (
        <ul className="mt-1 flex flex-wrap gap-x-2 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-300" aria-label="Top risk factors" data-testid="top-factors">
          {c.topFactors.map((f) => (
            <li key={f.key} className="min-w-0 max-w-full truncate" title={`${FACTOR_LABELS[f.key] ?? f.key} (+${f.points}): ${plain(f.evidence)}`}>
              <span className="font-medium">{FACTOR_LABELS[f.key] ?? f.key}</span>
              <span className="text-zinc-500 dark:text-zinc-400">: {short(plain(f.evidence))}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function plain(s: string): string {
  return s.replace(/`/g, '');
}

function short(s: string, max = 64): string {
  const t = s.replace(/\.$/, '');
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

function StatusTag({ status }: { status: QueueItem['status'] }) {
  if (status === 'pending') return null;
  const text: Record<string, string> = { approved: 'approved · waiting to deploy', deployed: 'deployed', rejected: 'rejected', rolled_back: 'rolled back' };
  return <span className="rounded bg-zinc-100 px-1 text-[10px] font-semibold text-zinc-700 uppercase dark:bg-zinc-800 dark:text-zinc-200">{text[status] ?? status}</span>;
}

function QueueCard({ item: c, index, selected, onSelect, now }: { item: QueueItem; index: number; selected: boolean; onSelect: (i: number) => void; now: Date }) {
  return (
    <li
      data-queue-card={index}
      aria-current={selected ? 'true' : undefined}
      onMouseDown={() => onSelect(index)}
      className={`min-w-0 rounded-lg border bg-white p-3 text-sm shadow-xs dark:bg-zinc-900 ${selected ? 'border-accent-500' : 'border-zinc-200 dark:border-zinc-800'}`}
    >
      <div className="flex items-start gap-2">
        <RiskBadge score={c.riskScore} level={c.riskLevel} />
        <div className="min-w-0 flex-1">
          <Link href={`/changes/${c.id}`} className="font-medium break-words text-zinc-900 hover:underline dark:text-zinc-100">
            {c.title}
          </Link>
          <div className="mt-0.5 flex min-w-0 flex-wrap items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400">
            <span className="max-w-full truncate font-mono">{c.externalId}</span>
            <span>{c.kind}</span>
            <span>{c.author.handle}</span>
            <span className="tabular">{formatAge(c.createdAt, now)}</span>
            <StatusTag status={c.status} />
            {c.destructive ? <span className="rounded bg-red-50 px-1 text-[10px] font-semibold text-red-700 uppercase dark:bg-red-500/10 dark:text-red-300">Destructive</span> : null}
          </div>
        </div>
      </div>
      <WhyLine item={c} />
      <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        <span className="flex flex-wrap gap-1">
          {c.services.slice(0, 2).map((s) => (
            <TierBadge key={s.slug} tier={s.tier} label={s.slug} />
          ))}
          {c.services.length > 2 ? <span className="text-zinc-500">+{c.services.length - 2}</span> : null}
        </span>
        <AiBadge level={c.aiLevel} />
        <span className="tabular text-zinc-600 dark:text-zinc-300" title="Dependents / Tier-1 among them">
          blast {c.blastRadius.total}/{c.blastRadius.tier1}
        </span>
        <Approvals valid={c.approvals.valid} required={c.approvals.required} />
      </div>
    </li>
  );
}

function QueueRow({ item: c, index, selected, onSelect, now }: { item: QueueItem; index: number; selected: boolean; onSelect: (i: number) => void; now: Date }) {
  return (
    <tr
      data-queue-index={index}
      data-selected={selected || undefined}
      aria-current={selected ? 'true' : undefined}
      onMouseDown={() => onSelect(index)}
      className={`group relative ${selected ? 'bg-accent-50 shadow-[inset_3px_0_0_var(--color-accent-600)] dark:bg-accent-500/10' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/40'}`}
    >
      <td className="px-3 py-2.5 align-top">
        <RiskBadge score={c.riskScore} level={c.riskLevel} />
      </td>
      <td className="min-w-0 px-3 py-2.5 align-top">
        <div className="flex min-w-0 items-center gap-1.5">
          {c.needsMyReview ? <span className="size-1.5 shrink-0 rounded-full bg-accent-600" title="Waiting for your review" aria-label="Waiting for your review" /> : null}
          <Link href={`/changes/${c.id}`} className="truncate font-medium text-zinc-900 hover:underline dark:text-zinc-100" title={c.title}>
            {c.title}
          </Link>
        </div>
        <div className="mt-0.5 flex min-w-0 items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400">
          <span className="truncate font-mono">{c.externalId}</span>
          <span aria-hidden>·</span>
          <span>{c.kind}</span>
          {c.environment !== 'production' ? (
            <>
              <span aria-hidden>·</span>
              <span>{c.environment}</span>
            </>
          ) : null}
          {c.destructive ? (
            <span className="ml-0.5 rounded bg-red-50 px-1 text-[10px] font-semibold tracking-wide text-red-700 uppercase ring-1 ring-red-600/20 ring-inset dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/30">
              Destructive
            </span>
          ) : null}
          {c.unmapped ? <span className="rounded bg-amber-50 px-1 text-[10px] font-semibold text-amber-800 uppercase dark:bg-amber-500/10 dark:text-amber-300">Unmapped</span> : null}
          <StatusTag status={c.status} />
        </div>
        <WhyLine item={c} />
      </td>
      <td className="px-3 py-2.5 align-top">
        <div className="flex flex-wrap gap-1">
          {c.services.slice(0, 3).map((s) => (
            <TierBadge key={s.slug} tier={s.tier} label={s.slug} />
          ))}
          {c.services.length > 3 ? <span className="text-xs text-zinc-500">+{c.services.length - 3}</span> : null}
          {c.services.length === 0 ? <span className="text-xs text-zinc-400">none</span> : null}
        </div>
      </td>
      <td className="px-3 py-2.5 align-top">
        <span title={c.aiTool && c.aiLevel !== 'none' ? `Tool: ${c.aiTool}` : undefined}>
          <AiBadge level={c.aiLevel} />
        </span>
      </td>
      <td className="truncate px-3 py-2.5 align-top text-zinc-600 dark:text-zinc-300" title={c.author.name}>
        {c.author.handle}
      </td>
      <td className="px-3 py-2.5 text-right align-top tabular">
        <span title={`${c.blastRadius.total} services depend on it, ${c.blastRadius.tier1} of them Tier-1`}>
          {c.blastRadius.total}
          <span className="text-zinc-400 dark:text-zinc-500"> / </span>
          <span className={c.blastRadius.tier1 ? 'font-medium text-rose-600 dark:text-rose-400' : 'text-zinc-400 dark:text-zinc-500'}>{c.blastRadius.tier1}</span>
        </span>
      </td>
      <td className="px-3 py-2.5 text-right align-top">
        <Approvals valid={c.approvals.valid} required={c.approvals.required} />
      </td>
      <td className="px-3 py-2.5 align-top">
        <Reviewers reviewers={c.suggestedReviewers} total={c.suggestedReviewerCount} />
      </td>
      <td className="px-3 py-2.5 text-right align-top text-zinc-500 tabular dark:text-zinc-400" title={new Date(c.createdAt).toUTCString()}>
        {formatAge(c.createdAt, now)}
      </td>
    </tr>
  );
}

function Approvals({ valid, required }: { valid: number; required: number }) {
  if (required === 0) return <span className="text-xs text-zinc-400 dark:text-zinc-500">none needed</span>;
  const done = valid >= required;
  return (
    <span className="inline-flex items-center gap-1.5 tabular" title={`${valid} of ${required} valid approvals`}>
      <span className="flex gap-0.5" aria-hidden>
        {Array.from({ length: required }, (_, i) => (
          <span key={i} className={`size-1.5 rounded-full ${i < valid ? 'bg-emerald-500' : 'bg-zinc-300 dark:bg-zinc-600'}`} />
        ))}
      </span>
      <span className={done ? 'font-medium text-emerald-700 dark:text-emerald-400' : ''}>
        {valid}/{required}
      </span>
    </span>
  );
}

function Reviewers({ reviewers, total }: { reviewers: QueueItem['suggestedReviewers']; total: number }) {
  if (!reviewers.length) return <span className="text-xs text-zinc-400 dark:text-zinc-500">—</span>;
  const shown = reviewers.slice(0, 2);
  return (
    <span className="flex items-center" title={`Suggested: ${reviewers.map((r) => r.handle).join(', ')}${total > reviewers.length ? ` and ${total - reviewers.length} more` : ''}`}>
      {shown.map((r) => (
        <span
          key={r.handle}
          className={`-ml-1 grid size-6 place-items-center rounded-full text-[10px] font-semibold ring-2 ring-white first:ml-0 dark:ring-zinc-900 ${
            r.kind === 'owner' ? 'bg-zinc-700 text-white dark:bg-zinc-300 dark:text-zinc-900' : 'bg-zinc-200 text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200'
          }`}
        >
          {initials(r.name)}
        </span>
      ))}
      {total > shown.length ? <span className="ml-1 text-xs text-zinc-500 tabular dark:text-zinc-400">+{total - shown.length}</span> : null}
    </span>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join('');
}

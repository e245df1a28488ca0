// Small labels that carry meaning by colour: risk level, tier, AI involvement.
import type { AiLevel, RiskLevel, Tier } from '@/db/schema/enums';

const RISK_STYLES: Record<RiskLevel, string> = {
  low: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/20',
  medium: 'bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/20',
  high: 'bg-orange-50 text-orange-800 ring-orange-600/25 dark:bg-orange-500/10 dark:text-orange-300 dark:ring-orange-400/25',
  critical: 'bg-red-600 text-white ring-red-700 dark:bg-red-500 dark:text-white dark:ring-red-400',
};

export function RiskBadge({ score, level, size = 'md' }: { score?: number; level: RiskLevel; size?: 'sm' | 'md' }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-md font-medium ring-1 ring-inset tabular ${RISK_STYLES[level]} ${size === 'sm' ? 'px-1.5 py-0.5 text-[11px]' : 'px-2 py-0.5 text-xs'}`}
      title={`Risk ${score ?? ''} (${level})`}
    >
      {score !== undefined ? <span className="font-semibold">{score}</span> : null}
      <span className="capitalize">{level}</span>
    </span>
  );
}

const TIER_STYLES: Record<Tier, string> = {
  1: 'text-rose-700 ring-rose-600/30 bg-rose-50 dark:text-rose-300 dark:bg-rose-500/10 dark:ring-rose-400/30',
  2: 'text-sky-700 ring-sky-600/25 bg-sky-50 dark:text-sky-300 dark:bg-sky-500/10 dark:ring-sky-400/25',
  3: 'text-zinc-600 ring-zinc-500/25 bg-zinc-50 dark:text-zinc-400 dark:bg-zinc-500/10 dark:ring-zinc-400/25',
};

export function TierBadge({ tier, label }: { tier: Tier; label?: string }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset ${TIER_STYLES[tier]}`} title={`Tier ${tier}${tier === 1 ? ': revenue-critical' : ''}`}>
      <span className="font-semibold">T{tier}</span>
      {label ? <span className="font-normal">{label}</span> : null}
    </span>
  );
}

const AI_LABELS: Record<AiLevel, string> = { none: 'Human', assisted: 'AI-assisted', generated: 'AI-generated', agent: 'AI agent' };

export function AiBadge({ level, tool }: { level: AiLevel; tool?: string | null }) {
  if (level === 'none') return <span className="text-xs text-zinc-400 dark:text-zinc-500">Human</span>;
  const strong = level === 'agent' ? 'bg-violet-600 text-white ring-violet-700 dark:bg-violet-500 dark:ring-violet-400' : 'bg-violet-50 text-violet-700 ring-violet-600/20 dark:bg-violet-500/10 dark:text-violet-300 dark:ring-violet-400/20';
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset ${strong}`} title={tool ? `${AI_LABELS[level]} (${tool})` : AI_LABELS[level]}>
      {AI_LABELS[level]}
      {tool ? <span className="opacity-80">· {tool}</span> : null}
    </span>
  );
}

export function aiLabel(level: AiLevel): string {
  return AI_LABELS[level];
}

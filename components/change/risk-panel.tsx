// The risk score and every factor behind it, highest first, each with its points and the one sentence
// of evidence a reviewer can check; then what the destructive-operation detectors found, linked to the line.
import type { ChangeDetail } from '@/db/queries/change-detail';
import { RiskBadge } from '@/components/ui/badges';
import type { RiskFactorKey } from '@/lib/risk/types';
import { fileAnchor, lineAnchor } from './anchors';
import { RichText } from './rich-text';

export const FACTOR_LABELS: Record<RiskFactorKey, string> = {
  destructive: 'Destructive operations',
  ai_involvement: 'AI involvement',
  tier: 'Service tier',
  blast_radius: 'Blast radius',
  change_kind: 'Change kind',
  size: 'Size',
  diffusion: 'Diffusion',
  incident_history: 'Incident history',
  no_predeploy_validation: 'No pre-deploy validation',
  tests_untouched: 'Tests untouched',
  author_experience: 'Author experience',
  analysis_incomplete: 'Analysis incomplete',
};

const BAR: Record<string, string> = {
  critical: 'bg-red-600 dark:bg-red-500',
  high: 'bg-orange-500 dark:bg-orange-400',
  medium: 'bg-amber-400 dark:bg-amber-400',
  low: 'bg-emerald-500 dark:bg-emerald-400',
};

export function RiskPanel({ change }: { change: ChangeDetail }) {
  const { risk } = change;
  const max = Math.max(20, ...risk.factors.map((f) => f.points));
  const filePosition = new Map(change.files.map((f) => [f.path, f.position]));
  const findings = risk.findings;
  return (
    <div>
      <div className="mb-4 flex items-center gap-4">
        <div className="flex items-baseline gap-1">
          <span className="text-3xl font-semibold tabular" data-testid="risk-score">{risk.score}</span>
          <span className="text-sm text-zinc-400">/ 100</span>
        </div>
        <RiskBadge level={risk.level} />
        <div className="h-2 flex-1 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden>
          <div className={`h-full rounded-full ${BAR[risk.level]}`} style={{ width: `${risk.score}%` }} />
        </div>
      </div>
      {risk.factors.length ? (
        <ol className="space-y-2.5" aria-label="Risk factors, highest first">
          {risk.factors.map((f) => (
            <li key={f.key} data-factor={f.key} className="grid grid-cols-[7.5rem_3rem_minmax(0,1fr)] items-start gap-x-3 text-sm">
              <span className="pt-px font-medium text-zinc-700 dark:text-zinc-200">{FACTOR_LABELS[f.key] ?? f.key}</span>
              <span className="flex items-center gap-1.5 pt-px">
                <span className="font-semibold tabular">+{f.points}</span>
              </span>
              <span className="min-w-0">
                <span className="mb-1 block h-1 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                  <span className={`block h-full rounded-full ${f.key === 'destructive' ? 'bg-red-500' : 'bg-zinc-400 dark:bg-zinc-500'}`} style={{ width: `${Math.round((f.points / max) * 100)}%` }} />
                </span>
                <span className="text-zinc-600 dark:text-zinc-300"><RichText text={f.evidence} /></span>
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No factor adds risk: a small, human-written change to a low-tier service with nothing depending on it.</p>
      )}
      {findings.length ? (
        <div className="mt-4 border-t border-zinc-100 pt-3 dark:border-zinc-800">
          <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">What the detectors found</h3>
          <ul className="space-y-1 text-sm">
            {findings.slice(0, 12).map((f, i) => {
              const position = filePosition.get(f.path);
              const href = position === undefined ? (change.terraformPlan ? '#plan' : undefined) : f.line ? `#${lineAnchor(position, f.line)}` : `#${fileAnchor(position)}`;
              return (
                <li key={i} className="flex items-start gap-2">
                  <span className={`mt-1.5 size-2 shrink-0 rounded-full ${f.severity === 'destructive' ? 'bg-red-600' : 'bg-amber-500'}`} aria-label={f.severity} />
                  <span className="min-w-0">
                    <span className={f.severity === 'destructive' ? 'text-red-800 dark:text-red-300' : 'text-amber-900 dark:text-amber-200'}><RichText text={f.message} /></span>{' '}
                    {href ? (
                      <a href={href} className="font-mono text-xs [overflow-wrap:anywhere] text-zinc-500 hover:text-accent-600 hover:underline dark:text-zinc-400">
                        {position === undefined ? 'plan' : `${f.path}${f.line ? `:${f.line}` : ''}`}
                      </a>
                    ) : null}
                  </span>
                </li>
              );
            })}
          </ul>
          {findings.length > 12 ? <p className="mt-1 text-xs text-zinc-500">and {findings.length - 12} more, flagged in the diff below.</p> : null}
        </div>
      ) : null}
    </div>
  );
}

// SEV-1 (worst) to SEV-4, by colour: the one thing to see first on an incident.
const STYLE: Record<number, string> = {
  1: 'bg-red-600 text-white dark:bg-red-500',
  2: 'bg-orange-500 text-white dark:bg-orange-500',
  3: 'bg-amber-100 text-amber-900 dark:bg-amber-500/20 dark:text-amber-200',
  4: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};

export function SeverityBadge({ severity, size = 'sm' }: { severity: number; size?: 'sm' | 'md' }) {
  return (
    <span className={`inline-block rounded font-bold tabular ${size === 'md' ? 'px-2 py-0.5 text-xs' : 'px-1.5 py-0.5 text-[11px]'} ${STYLE[severity] ?? STYLE[4]}`} title={`Severity ${severity} of 4 (1 is the worst)`}>
      SEV-{severity}
    </span>
  );
}

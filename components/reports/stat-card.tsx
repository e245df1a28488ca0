// A headline number: what it is, its value, and how it moved since last week.
export function StatCard({
  label,
  value,
  sub,
  delta,
  alarm = false,
  testId,
}: {
  label: string;
  value: React.ReactNode;
  sub?: React.ReactNode;
  delta?: React.ReactNode;
  /** Drawn with a red edge: a number leaders must look at. */
  alarm?: boolean;
  testId?: string;
}) {
  return (
    <div
      data-testid={testId}
      className={`rounded-lg border bg-white px-4 py-3 break-inside-avoid dark:bg-zinc-900 ${
        alarm ? 'border-red-300 shadow-[inset_3px_0_0_0_#dc2626] dark:border-red-900' : 'border-zinc-200 dark:border-zinc-800'
      }`}
    >
      <div className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</div>
      <div className="mt-1 text-2xl font-semibold tracking-tight tabular">{value}</div>
      {sub ? <div className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-300">{sub}</div> : null}
      {delta ? <div className="mt-1">{delta}</div> : null}
    </div>
  );
}

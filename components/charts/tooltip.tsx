'use client';
// One tooltip look for every chart, in light and dark.
import type { TooltipContentProps } from 'recharts';

export function ChartTooltip({ active, payload, label, labelFormatter, valueFormatter }: Partial<TooltipContentProps<number, string>> & {
  labelFormatter?: (label: unknown) => string;
  valueFormatter?: (value: number, name: string) => string;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-2.5 py-1.5 text-xs shadow-sm dark:border-zinc-700 dark:bg-zinc-800">
      {label !== undefined ? <div className="mb-1 font-medium text-zinc-900 dark:text-zinc-100">{labelFormatter ? labelFormatter(label) : String(label)}</div> : null}
      {payload.map((p) => (
        <div key={String(p.dataKey ?? p.name)} className="flex items-center gap-2 text-zinc-600 tabular dark:text-zinc-300">
          <span className="inline-block size-2 rounded-sm" style={{ background: (p.color ?? p.fill) as string }} />
          <span>{p.name}</span>
          <span className="ml-auto pl-3 font-medium text-zinc-900 dark:text-zinc-100">{valueFormatter ? valueFormatter(Number(p.value), String(p.name)) : String(p.value)}</span>
        </div>
      ))}
    </div>
  );
}

'use client';
// The compliance page's charts: two-person sign-off per team or service, and by AI level the
// share of changes, their incident rate and their change failure rate.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AiLevel } from '@/db/schema/enums';
import { AI_COLOURS, BAD, GOOD } from './palette';
import { ChartTooltip } from './tooltip';

const axis = { stroke: 'currentColor', strokeOpacity: 0.3, tick: { fill: 'currentColor', fontSize: 11 }, tickLine: false } as const;
const AI_NAMES: Record<AiLevel, string> = { none: 'Human', assisted: 'AI-assisted', generated: 'AI-generated', agent: 'AI agent' };
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function TwoPersonChart({ data }: { data: { key: string; deployments: number; compliant: number }[] }) {
  const rows = data.map((d) => ({ key: d.key, compliant: d.compliant, without: d.deployments - d.compliant }));
  const height = Math.max(140, rows.length * 28 + 50);
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 520, height }}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 12, bottom: 0, left: 8 }} barSize={16}>
        <CartesianGrid stroke="currentColor" strokeOpacity={0.12} horizontal={false} />
        <XAxis type="number" allowDecimals={false} {...axis} />
        <YAxis type="category" dataKey="key" width={110} {...axis} />
        <Tooltip cursor={{ fill: 'currentColor', fillOpacity: 0.06 }} content={<ChartTooltip />} />
        <Legend iconType="square" iconSize={9} wrapperStyle={{ fontSize: 11 }} />
        <Bar dataKey="compliant" name="Two valid approvals" stackId="a" fill={GOOD} isAnimationActive={false} />
        <Bar dataKey="without" name="Without" stackId="a" fill={BAD} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function AiRatesChart({ data }: { data: { level: AiLevel; share: number | null; incidentRate: number | null; failureRate: number | null }[] }) {
  const rows = data.map((d) => ({ name: AI_NAMES[d.level], level: d.level, share: d.share ?? 0, incidentRate: d.incidentRate ?? 0, failureRate: d.failureRate ?? 0 }));
  return (
    <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 520, height: 220 }}>
      <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="currentColor" strokeOpacity={0.12} vertical={false} />
        <XAxis dataKey="name" {...axis} />
        <YAxis tickFormatter={(v: number) => `${+(v * 100).toFixed(1)}%`} {...axis} />
        <Tooltip cursor={{ fill: 'currentColor', fillOpacity: 0.06 }} content={<ChartTooltip valueFormatter={(v) => pct(v)} />} />
        <Legend iconType="square" iconSize={9} wrapperStyle={{ fontSize: 11 }} />
        <Bar dataKey="incidentRate" name="Incidents per change" fill="#e69f00" isAnimationActive={false} />
        <Bar dataKey="failureRate" name="Change failure rate" fill={BAD} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function AiShareBar({ data }: { data: { level: AiLevel; changes: number; share: number | null }[] }) {
  const total = data.reduce((n, d) => n + d.changes, 0);
  return (
    <div>
      <div className="flex h-4 w-full overflow-hidden rounded" role="presentation">
        {data.map((d) =>
          d.changes ? <div key={d.level} style={{ width: `${(d.changes / Math.max(1, total)) * 100}%`, background: AI_COLOURS[d.level] }} title={`${AI_NAMES[d.level]}: ${d.changes}`} /> : null,
        )}
      </div>
      <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs">
        {data.map((d) => (
          <span key={d.level} className="inline-flex items-center gap-1.5 tabular">
            <span className="inline-block size-2.5 rounded-sm" style={{ background: AI_COLOURS[d.level] }} />
            <span className="text-zinc-700 dark:text-zinc-300">{AI_NAMES[d.level]}</span>
            <span className="font-medium text-zinc-900 dark:text-zinc-100">{d.share === null ? '—' : `${Math.round(d.share * 100)}%`}</span>
            <span className="text-zinc-500">({d.changes})</span>
          </span>
        ))}
      </div>
    </div>
  );
}

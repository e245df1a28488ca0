'use client';
// The weekly report's charts (client islands over recharts): changes per day by AI level,
// risk distribution, approval latency and the incidents timeline.
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AI_LEVELS } from '@/db/schema/enums';
import type { DayPoint, ReportCharts, ReportIncident } from '@/lib/reports/types';
import { AI_COLOURS, RISK_COLOURS, SEVERITY_COLOURS } from './palette';
import { ChartTooltip } from './tooltip';

const AI_NAMES = { none: 'Human', assisted: 'AI-assisted', generated: 'AI-generated', agent: 'AI agent' } as const;
const axis = { stroke: 'currentColor', strokeOpacity: 0.3, tick: { fill: 'currentColor', fontSize: 11 }, tickLine: false } as const;
const grid = { stroke: 'currentColor', strokeOpacity: 0.12, vertical: false } as const;

const dayLabel = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' });

export function ChangesPerDayChart({ data }: { data: DayPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 520, height: 220 }}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid {...grid} />
        <XAxis dataKey="date" tickFormatter={dayLabel} {...axis} />
        <YAxis allowDecimals={false} {...axis} />
        <Tooltip cursor={{ fill: 'currentColor', fillOpacity: 0.06 }} content={<ChartTooltip labelFormatter={(l) => dayLabel(String(l))} />} />
        <Legend iconType="square" iconSize={9} wrapperStyle={{ fontSize: 11 }} />
        {AI_LEVELS.map((l) => (
          <Bar key={l} dataKey={l} name={AI_NAMES[l]} stackId="ai" fill={AI_COLOURS[l]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function RiskDistributionChart({ data }: { data: ReportCharts['risk'] }) {
  return (
    <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 520, height: 220 }}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid {...grid} />
        <XAxis dataKey="bucket" {...axis} interval={0} tick={{ fill: 'currentColor', fontSize: 10 }} />
        <YAxis allowDecimals={false} {...axis} />
        <Tooltip cursor={{ fill: 'currentColor', fillOpacity: 0.06 }} content={<ChartTooltip labelFormatter={(l) => `Risk ${String(l)}`} />} />
        <Bar dataKey="count" name="Changes shipped" isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.bucket} fill={RISK_COLOURS[d.level]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

export function LatencyChart({ data, height = 220 }: { data: { bucket: string; count: number }[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 520, height }}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid {...grid} />
        <XAxis dataKey="bucket" {...axis} interval={0} tick={{ fill: 'currentColor', fontSize: 10 }} />
        <YAxis allowDecimals={false} {...axis} />
        <Tooltip cursor={{ fill: 'currentColor', fillOpacity: 0.06 }} content={<ChartTooltip labelFormatter={(l) => `Second approval after ${String(l)}`} />} />
        <Bar dataKey="count" name="Changes" fill="#56b4e9" isAnimationActive={false}>
          {data.map((d, i) => (
            // The first bucket is faster than most diffs can be read: draw it in the warning colour.
            <Cell key={d.bucket} fill={i === 0 ? '#e69f00' : '#56b4e9'} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Each incident as a bar from its start to its resolution across the week, coloured by severity. */
export function IncidentsTimeline({ incidents, start, end }: { incidents: ReportIncident[]; start: string; end: string }) {
  const t0 = Date.parse(start);
  const t1 = Date.parse(end);
  const hours = (t: number) => Math.max(0, Math.min(t1, t) - t0) / 3_600_000;
  const rows = [...incidents]
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
    .map((i) => {
      const s = Date.parse(i.startedAt);
      const e = i.resolvedAt ? Date.parse(i.resolvedAt) : t1;
      // Short incidents still get a visible bar (at least 3 h wide).
      const from = hours(s);
      const to = Math.max(hours(e), from + 3);
      return { name: i.externalId, range: [from, Math.min(to, 168)] as [number, number], severity: i.severity, title: i.title, minutes: i.minutes };
    });
  const height = Math.max(120, 34 * rows.length + 40);
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 520, height }}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 12, bottom: 0, left: 8 }} barSize={14}>
        {/* Grid lines at midnight, day names in the middle of each day. */}
        <CartesianGrid {...grid} vertical horizontal={false} verticalValues={[24, 48, 72, 96, 120, 144]} />
        <XAxis
          type="number"
          domain={[0, 168]}
          ticks={[12, 36, 60, 84, 108, 132, 156]}
          tickFormatter={(h: number) => new Date(t0 + h * 3_600_000).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' })}
          {...axis}
        />
        <YAxis type="category" dataKey="name" width={112} {...axis} tick={{ fill: 'currentColor', fontSize: 10 }} />
        <Tooltip
          cursor={{ fill: 'currentColor', fillOpacity: 0.06 }}
          content={({ active, payload }) => {
            const p = payload?.[0]?.payload as (typeof rows)[number] | undefined;
            if (!active || !p) return null;
            return (
              <div className="max-w-xs rounded-md border border-zinc-200 bg-white px-2.5 py-1.5 text-xs shadow-sm dark:border-zinc-700 dark:bg-zinc-800">
                <div className="font-medium text-zinc-900 dark:text-zinc-100">
                  SEV-{p.severity} {p.name}
                </div>
                <div className="text-zinc-600 dark:text-zinc-300">{p.title}</div>
                <div className="text-zinc-500">{p.minutes === null ? 'still open' : `${p.minutes} min of impact`}</div>
              </div>
            );
          }}
        />
        <Bar dataKey="range" name="Incident" isAnimationActive={false} radius={3}>
          {rows.map((r) => (
            <Cell key={r.name} fill={SEVERITY_COLOURS[r.severity]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

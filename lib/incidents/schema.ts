// The one input schema for an incident, from the API, a CSV or JSON export of an incident
// tracker, or the CLI. Lenient where trackers differ (SEV1 / 1 / P1, "a, b" service lists,
// "120,000" numbers), strict where it matters (dates, severity range, resolved after started).
import { z } from 'zod';

export const INCIDENT_LIMITS = { maxRows: 5000, maxBytes: 5 * 1024 * 1024 };

const severity = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const m = /^\s*(?:sev(?:erity)?[\s_-]?|p)?([1-4])\s*$/i.exec(String(v));
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `severity must be SEV1–SEV4 (or 1–4, P1–P4), not "${v}"` });
    return z.NEVER;
  }
  return Number(m[1]) as 1 | 2 | 3 | 4;
});

const date = (what: string) =>
  z.union([z.string(), z.date()]).transform((v, ctx) => {
    const d = v instanceof Date ? v : new Date(v.trim());
    if (Number.isNaN(d.getTime()) || (typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}/.test(v.trim()))) {
      ctx.addIssue({ code: 'custom', message: `${what} must be an ISO 8601 date-time such as 2026-03-05T14:20:00Z, not "${String(v)}"` });
      return z.NEVER;
    }
    return d;
  });

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

const count = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? null : Number(v.replace(/[,_\s]/g, ''))) : v),
  z.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'cannot be negative').max(1e12).nullish(),
);

const serviceList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[,;|]/).map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.string().trim().min(1).max(100)).min(1, 'name at least one affected service').max(100),
);

export const IncidentInput = z
  .object({
    id: z.string().trim().min(1, 'id is required (the incident tracker’s id)').max(100),
    title: z.string().trim().min(1, 'title is required').max(300),
    severity,
    started: date('started'),
    resolved: z.preprocess(blankToNull, date('resolved').nullish()),
    services: serviceList,
    /** The change that caused it: its Countersign id or external id (org/repo#123). */
    causeChange: z.preprocess(blankToNull, z.union([z.string().trim().min(1).max(200), z.number().int().positive()]).nullish()),
    impact: z.string().max(5000).default(''),
    lostOrders: count,
    ordersDropPct: z.preprocess(blankToNull, z.coerce.number().int().min(0).max(100).nullish()),
    summary: z.string().max(50_000).default(''),
    lessons: z.string().max(50_000).default(''),
  })
  .refine((v) => !v.resolved || v.resolved.getTime() >= v.started.getTime(), { message: 'resolved is before started', path: ['resolved'] });

export type IncidentInput = z.input<typeof IncidentInput>;
export type Incident = z.output<typeof IncidentInput>;

/** Tracker exports name fields their own way: map the usual spellings onto ours. */
const ALIASES: Record<string, keyof Incident> = {
  id: 'id',
  externalid: 'id',
  incidentid: 'id',
  key: 'id',
  number: 'id',
  title: 'title',
  name: 'title',
  summaryline: 'title',
  severity: 'severity',
  sev: 'severity',
  priority: 'severity',
  started: 'started',
  startedat: 'started',
  start: 'started',
  createdat: 'started',
  resolved: 'resolved',
  resolvedat: 'resolved',
  end: 'resolved',
  endedat: 'resolved',
  services: 'services',
  service: 'services',
  affectedservices: 'services',
  causechange: 'causeChange',
  cause: 'causeChange',
  causedby: 'causeChange',
  change: 'causeChange',
  impact: 'impact',
  lostorders: 'lostOrders',
  orderslost: 'lostOrders',
  ordersdroppct: 'ordersDropPct',
  ordersdrop: 'ordersDropPct',
  summary: 'summary',
  description: 'summary',
  lessons: 'lessons',
  lessonslearned: 'lessons',
};

export function normaliseKeys(row: Record<string, unknown>): { row: Record<string, unknown>; unknown: string[] } {
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(row)) {
    const key = ALIASES[k.toLowerCase().replace(/[^a-z]/g, '')];
    if (key) out[key] ??= v;
    else unknown.push(k);
  }
  return { row: out, unknown };
}

// "What leaders must discuss": generated from the data, most important first; and the same
// report as Markdown and as a PDF.
import { describe, expect, it } from 'vitest';
import { buildWeeklyReport } from '@/lib/reports/build';
import { parseIsoWeek } from '@/lib/reports/iso-week';
import { reportToMarkdown } from '@/lib/reports/markdown';
import { pdfText, reportToPdf } from '@/lib/reports/pdf';
import { partsToMarkdown, partsToText } from '@/lib/reports/sentences';
import type { ChangeRef, ShippedChange, WeekDetail, WeekFigures } from '@/lib/reports/types';

const week = parseIsoWeek('2026-W10');
const now = new Date('2026-03-16T08:00:00Z');

const figures = (over: Partial<WeekFigures> = {}): WeekFigures => ({
  changesShipped: 0,
  deployments: 0,
  byAi: { none: 0, assisted: 0, generated: 0, agent: 0 },
  tier1: { changes: 0, compliant: 0 },
  bypasses: 0,
  incidents: { total: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 }, minutesOfImpact: 0, lostOrders: null, ongoing: 0 },
  failedDeployments: 0,
  approvalLatency: { count: 0, medianMinutes: null, p90Minutes: null },
  ...over,
});

const ref = (id: number, over: Partial<ChangeRef> = {}): ChangeRef => ({
  id,
  externalId: `acme/config-service#${id}`,
  title: `Change ${id}`,
  riskScore: 40,
  riskLevel: 'medium',
  aiLevel: 'none',
  aiTool: null,
  tier: 1,
  author: 'jfarrell',
  ...over,
});

const shipped = (id: number, over: Partial<ShippedChange> = {}): ShippedChange => ({
  ...ref(id),
  deployedAt: '2026-03-05T14:02:00.000Z',
  destructive: false,
  services: ['config-service'],
  approvalsAtDeploy: 2,
  requiredApprovals: 2,
  bypass: false,
  ...over,
});

const emptyDetail = (): WeekDetail => ({
  incidents: [],
  riskiest: [],
  tier1WithoutTwo: [],
  bypasses: [],
  services: [],
  watchouts: [],
  overdueBreakGlass: [],
  charts: { perDay: [], risk: [], latency: [] },
  attestations: [],
});

function busyWeek() {
  const detail = emptyDetail();
  detail.incidents = [
    {
      id: 9,
      externalId: 'INC-3',
      title: 'Search results empty',
      severity: 3,
      startedAt: '2026-03-02T10:24:00.000Z',
      resolvedAt: '2026-03-02T11:32:00.000Z',
      minutes: 68,
      lostOrders: null,
      ordersDropPct: null,
      impact: '',
      services: ['search'],
      cause: { ...ref(77, { externalId: 'acme/search#77' }), deployedAt: null, deployedBy: null, bypass: false, approvalsAtDeploy: null },
    },
    {
      id: 5,
      externalId: 'MI-2026-005',
      title: 'Global config push without validation',
      severity: 1,
      startedAt: '2026-03-05T14:04:00.000Z',
      resolvedAt: '2026-03-05T20:04:00.000Z',
      minutes: 360,
      lostOrders: 6_300_000,
      ordersDropPct: 99,
      impact: '6 hours of near-total outage',
      services: ['config-service', 'payments'],
      cause: { ...ref(4611, { riskScore: 83, riskLevel: 'critical' }), deployedAt: '2026-03-05T14:02:00.000Z', deployedBy: 'ebrandt', bypass: true, approvalsAtDeploy: 0 },
    },
  ];
  detail.bypasses = [{ deploymentId: 1, at: '2026-03-05T14:02:00.000Z', status: 'succeeded', source: 'github', deployedBy: 'ebrandt', change: ref(4611) }];
  detail.tier1WithoutTwo = [shipped(4611, { approvalsAtDeploy: 0, bypass: true })];
  detail.riskiest = [shipped(4611, { riskScore: 83, riskLevel: 'critical', bypass: true }), shipped(3732, { riskScore: 80, riskLevel: 'critical', destructive: true })];
  detail.services = [{ slug: 'config-service', tier: 1, team: 'core-platform', changes: 3, highRisk: 3, maxRisk: 83, riskSum: 200, incidents: 1 }];
  detail.watchouts = [{ id: 1, author: 'dkowalski', scope: 'service', service: 'config-service', pattern: null, text: 'A bad global value is a global outage.', createdAt: '2026-03-06T10:00:00.000Z' }];
  detail.overdueBreakGlass = [
    { id: 3, change: ref(99), openedBy: 'cmoore', openedAt: '2026-03-01T10:00:00.000Z', endedAt: '2026-03-01T12:00:00.000Z', justification: 'Checkout down', dueAt: '2026-03-04T12:00:00.000Z' },
    // Due after the week's end: not overdue in this report.
    { id: 4, change: ref(98), openedBy: 'cmoore', openedAt: '2026-03-08T10:00:00.000Z', endedAt: '2026-03-08T12:00:00.000Z', justification: 'Later', dueAt: '2026-03-11T12:00:00.000Z' },
  ];
  detail.charts.perDay = [{ date: '2026-03-02', none: 3, assisted: 1, generated: 1, agent: 0 }];
  const current = figures({
    changesShipped: 55,
    deployments: 55,
    byAi: { none: 38, assisted: 7, generated: 8, agent: 2 },
    tier1: { changes: 35, compliant: 34 },
    bypasses: 1,
    failedDeployments: 3,
    incidents: { total: 2, bySeverity: { 1: 1, 2: 0, 3: 1, 4: 0 }, minutesOfImpact: 428, lostOrders: 6_300_000, ongoing: 0 },
  });
  const previous = figures({ changesShipped: 43, deployments: 43, byAi: { none: 40, assisted: 3, generated: 0, agent: 0 }, tier1: { changes: 27, compliant: 27 } });
  return buildWeeklyReport(week, { current, previous, detail }, now);
}

describe('what leaders must discuss', () => {
  it('puts the worst first: major incidents, bypasses, Tier-1 without two approvals, overdue reviews, risky changes, then the rest', () => {
    const r = busyWeek();
    expect(r.discuss.map((d) => d.key)).toEqual(['incident-5', 'bypasses', 'tier1-without-two', 'break-glass', 'riskiest', 'minor-incidents', 'services', 'cfr-trend', 'ai-trend', 'watchouts']);
    expect(r.discuss.slice(0, 3).every((d) => d.tone === 'critical')).toBe(true);
    const first = partsToText(r.discuss[0]!.parts);
    expect(first).toContain('SEV-1 MI-2026-005');
    expect(first).toContain('6.3 million orders lost (orders down 99%)');
    expect(first).toContain('Caused by acme/config-service#4611');
    expect(first).toContain('without an allowing gate decision');
    expect(r.discuss[0]!.parts).toContainEqual({ text: 'acme/config-service#4611', href: '/changes/4611' });
    expect(partsToText(r.discuss[2]!.parts)).toContain('1 Tier-1 change shipped without two valid approvals');
    expect(partsToText(r.discuss[3]!.parts)).toContain('1 break-glass follow-up review is overdue');
    expect(r.overdueBreakGlass.map((b) => b.id)).toEqual([3]);
    expect(partsToText(r.discuss.find((d) => d.key === 'riskiest')!.parts)).toMatch(/Riskiest change shipped: acme\/config-service#4611 .* risk 83 \(critical\).*gate bypassed\. Also high-risk: acme\/config-service#3732 \(80\)\./);
    expect(partsToText(r.discuss.find((d) => d.key === 'ai-trend')!.parts)).toBe('AI was involved in 31% of changes shipped, up from 7% last week.');
  });

  it('says a quiet week is quiet, and an empty one is empty', () => {
    const quiet = buildWeeklyReport(week, { current: figures({ changesShipped: 4, deployments: 4, byAi: { none: 4, assisted: 0, generated: 0, agent: 0 } }), previous: figures(), detail: emptyDetail() }, now);
    expect(quiet.discuss).toHaveLength(1);
    expect(partsToText(quiet.discuss[0]!.parts)).toMatch(/^A quiet week: 4 changes shipped, no incident, no bypass/);
    const empty = buildWeeklyReport(week, { current: figures(), previous: figures(), detail: emptyDetail() }, now);
    expect(empty.empty).toBe(true);
    expect(partsToText(empty.discuss[0]!.parts)).toBe('Nothing was deployed to production and no incident started this week.');
    expect(empty.nextWeek).toBe('2026-W11');
    expect(buildWeeklyReport(parseIsoWeek('2026-W12'), { current: figures(), previous: figures(), detail: emptyDetail() }, now).nextWeek).toBeNull();
  });

  it('renders links as Markdown with the origin, and escapes what Markdown would read', () => {
    expect(partsToMarkdown(['Caused by ', { text: 'acme/x#1', href: '/changes/1' }, ' *not* [bold]'], 'https://cs.example')).toBe(
      'Caused by [acme/x#1](https://cs.example/changes/1) \\*not\\* \\[bold\\]',
    );
    expect(partsToMarkdown([{ text: 'acme/x#1', href: '/changes/1' }], null)).toBe('acme/x#1');
  });
});

describe('report documents', () => {
  it('as Markdown: the discussion first, then the numbers, incidents with their cause, attestation', () => {
    const md = reportToMarkdown(busyWeek(), 'https://cs.example');
    const order = ['# This Week in Stores Tech — 2026-W10', '## What leaders must discuss', '## Headline numbers', '## Incidents', '## Gate bypasses', '## Attestation'].map((h) => md.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('| Changes shipped | 55 | 43 | +12 vs last week |');
    expect(md).toContain('| Tier-1 with two valid approvals | 97% | 100% | −2.9 pts vs last week |');
    expect(md).toContain('- **Caused by** [acme/config-service#4611](https://cs.example/changes/4611)');
    expect(md).toContain('Not yet attested');
  });

  it('as a PDF: a real document with its title, pages and the discussion in it', async () => {
    const pdf = await reportToPdf(busyWeek(), { compress: false });
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toMatch(/\/Title (\(|\d+ 0 R)/);
    expect(text).toMatch(/\/Count [1-9]/);
    // Standard fonts write text as hex strings, split where kerning applies: join each line back.
    const lines = [...text.matchAll(/\[([^\]]*)\] TJ/g)].map((m) => [...m[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''));
    const all = lines.join('\n');
    expect(all).toContain('What leaders must discuss');
    expect(all).toContain('MI-2026-005');
    expect(all).toContain('Headline numbers');
    expect(pdfText('−3 pts → ≥ 2 ✓')).toBe('-3 pts -> >= 2 ?');
  });
});

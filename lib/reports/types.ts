// The shape of the weekly "This Week in Stores Tech" report: the figures of a week as the
// database gives them, and the report built from two consecutive weeks of them.
import type { AiLevel, RiskLevel, Tier } from '@/db/schema/enums';
import type { Delta, RateDelta } from './deltas';

export type Severity = 1 | 2 | 3 | 4;

/** What the database counts for one week. Definitions in docs/leadership.md. */
export interface WeekFigures {
  /** Distinct changes with a succeeded production deployment in the week. */
  changesShipped: number;
  /** Succeeded production deployments in the week. */
  deployments: number;
  /** Shipped changes by AI involvement. */
  byAi: Record<AiLevel, number>;
  /** Shipped changes touching a Tier-1 service; compliant: every production deployment of it had two valid approvals. */
  tier1: { changes: number; compliant: number };
  /** Production deployments without an allowing gate decision. */
  bypasses: number;
  /** Incidents that started in the week. */
  incidents: {
    total: number;
    bySeverity: Record<Severity, number>;
    /** Sum of start→resolution minutes of those resolved. */
    minutesOfImpact: number;
    /** Sum of lost orders over the incidents that know it; null when none does. */
    lostOrders: number | null;
    ongoing: number;
  };
  /** Succeeded production deployments followed by an incident linked to their change. */
  failedDeployments: number;
  /** Submission to second distinct approval, for changes whose second approval fell in the week. */
  approvalLatency: { count: number; medianMinutes: number | null; p90Minutes: number | null };
}

export interface ChangeRef {
  id: number;
  externalId: string;
  title: string;
  riskScore: number;
  riskLevel: RiskLevel;
  aiLevel: AiLevel;
  aiTool: string | null;
  tier: Tier;
  author: string;
}

export interface ShippedChange extends ChangeRef {
  deployedAt: string;
  destructive: boolean;
  services: string[];
  /** Valid approvals when it was deployed, and how many its policy required. */
  approvalsAtDeploy: number;
  requiredApprovals: number;
  bypass: boolean;
}

export interface ReportIncident {
  id: number;
  externalId: string;
  title: string;
  severity: Severity;
  startedAt: string;
  resolvedAt: string | null;
  minutes: number | null;
  lostOrders: number | null;
  ordersDropPct: number | null;
  impact: string;
  services: string[];
  cause: (ChangeRef & { deployedAt: string | null; deployedBy: string | null; bypass: boolean; approvalsAtDeploy: number | null }) | null;
}

export interface ReportBypass {
  deploymentId: number;
  at: string;
  status: string;
  source: string;
  deployedBy: string | null;
  change: ChangeRef;
}

export interface ServiceRisk {
  slug: string;
  tier: Tier;
  team: string | null;
  changes: number;
  highRisk: number;
  maxRisk: number;
  riskSum: number;
  incidents: number;
}

export interface ReportWatchout {
  id: number;
  author: string;
  scope: string;
  service: string | null;
  pattern: string | null;
  text: string;
  createdAt: string;
}

export interface ReportBreakGlass {
  id: number;
  change: ChangeRef;
  openedBy: string;
  openedAt: string;
  endedAt: string;
  justification: string;
  dueAt: string;
}

export interface ReportAttestation {
  handle: string;
  name: string;
  role: string;
  note: string;
  attestedAt: string;
}

export interface DayPoint {
  date: string;
  none: number;
  assisted: number;
  generated: number;
  agent: number;
}

export interface ReportCharts {
  perDay: DayPoint[];
  /** Shipped changes by risk score decile (0–9 … 90–100). */
  risk: { bucket: string; from: number; level: RiskLevel; count: number }[];
  latency: { bucket: string; count: number }[];
}

/** Everything the week's detail sections list. */
export interface WeekDetail {
  incidents: ReportIncident[];
  riskiest: ShippedChange[];
  tier1WithoutTwo: ShippedChange[];
  bypasses: ReportBypass[];
  services: ServiceRisk[];
  watchouts: ReportWatchout[];
  overdueBreakGlass: ReportBreakGlass[];
  charts: ReportCharts;
  attestations: ReportAttestation[];
  /** Administrator requests of the week that needed a second administrator (issue 10). */
  adminConfirmations?: ReportConfirmation[];
}

export interface ReportConfirmation {
  id: number;
  kind: string;
  subject: string;
  status: string;
  requestedBy: string;
  decidedBy: string | null;
}

export type DiscussTone = 'critical' | 'warning' | 'info';
export type TextPart = string | { text: string; href: string };

export interface DiscussItem {
  key: string;
  tone: DiscussTone;
  parts: TextPart[];
}

export interface Headline {
  changesShipped: Delta;
  deployments: Delta;
  aiShare: { assisted: RateDelta; generated: RateDelta; agent: RateDelta; any: RateDelta };
  tier1Changes: Delta;
  tier1Compliance: RateDelta;
  bypasses: Delta;
  incidents: Delta;
  incidentsBySeverity: Record<Severity, { current: number; previous: number }>;
  minutesOfImpact: Delta;
  lostOrders: { current: number | null; previous: number | null; delta: Delta };
  changeFailureRate: RateDelta;
  approvalLatencyMedian: { current: number | null; previous: number | null };
  approvalLatencyP90: { current: number | null; previous: number | null };
}

export interface WeeklyReport {
  isoWeek: string;
  /** "9–15 March 2026" */
  range: string;
  start: string;
  end: string;
  complete: boolean;
  empty: boolean;
  previousWeek: string;
  /** null when the next week has not started yet. */
  nextWeek: string | null;
  generatedAt: string;
  headline: Headline;
  current: WeekFigures;
  previous: WeekFigures;
  discuss: DiscussItem[];
  incidents: ReportIncident[];
  riskiestChanges: ShippedChange[];
  tier1WithoutTwoApprovals: ShippedChange[];
  bypasses: ReportBypass[];
  services: ServiceRisk[];
  watchouts: ReportWatchout[];
  overdueBreakGlass: ReportBreakGlass[];
  charts: ReportCharts;
  attestations: ReportAttestation[];
}

// `countersign risk eval`: does the risk score find the changes that caused incidents better than
// "lines changed" does? Replays the recorded history — every deployed or rolled-back change, re-scored
// from its stored diff and plan with the context of its day (incidents before it, the author's record
// until then) under the current weights — and compares the two rankings (lib/risk/eval.ts).
import { parseArgs } from 'node:util';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { changes, changeServices, incidents, incidentServices, people, revisionFiles, revisions } from '@/db/schema';
import type { AiLevel, ChangeKind, FileStatus } from '@/db/schema/enums';
import { assessChange } from '@/lib/changes/assess';
import { loadCatalogGraph } from '@/lib/graph/catalog';
import { getPolicy } from '@/lib/policy';
import { RISK_WEIGHTS } from '@/lib/policy/risk';
import { parseTerraformPlan } from '@/lib/risk';
import { evaluateRiskScore, type EvalItem, type EvalReport } from '@/lib/risk/eval';
import type { DiffFile, GraphService, RiskInput } from '@/lib/risk/types';
import type { Command } from '../command';
import { CliError, openCliDatabase, out } from '../context';

interface HistoryChange {
  id: number;
  authorId: number;
  authorIsBot: boolean;
  kind: ChangeKind;
  aiLevel: AiLevel;
  aiTool: string | null;
  environment: string;
  preDeployValidation: boolean | null;
  status: string;
  storedScore: number;
  asOf: Date;
  revisionId: number;
  lines: number;
  plan: unknown;
  serviceIds: number[];
  files: DiffFile[];
}

interface HistoryIncident {
  id: number;
  severity: number;
  title: string;
  startedAt: Date;
  causeChangeId: number | null;
  serviceIds: number[];
}

const SHIPPED = ['deployed', 'rolled_back'];

async function loadHistory(q: Queryable): Promise<{ changes: HistoryChange[]; incidents: HistoryIncident[] }> {
  const rows = await q
    .select({
      id: changes.id,
      authorId: changes.authorId,
      authorIsBot: people.isBot,
      kind: changes.kind,
      aiLevel: changes.aiLevel,
      aiTool: changes.aiTool,
      environment: changes.environment,
      preDeployValidation: changes.preDeployValidation,
      status: changes.status,
      storedScore: changes.riskScore,
      revisionId: revisions.id,
      asOf: revisions.createdAt,
      additions: revisions.additions,
      deletions: revisions.deletions,
      plan: revisions.terraformPlan,
    })
    .from(changes)
    .innerJoin(people, eq(people.id, changes.authorId))
    .innerJoin(revisions, eq(revisions.id, changes.currentRevisionId))
    .where(and(inArray(changes.status, SHIPPED), isNotNull(changes.currentRevisionId)));
  const [links, fileRows, incidentRows, incidentLinks] = await Promise.all([
    q.select({ changeId: changeServices.changeId, serviceId: changeServices.serviceId }).from(changeServices),
    q
      .select({ revisionId: revisionFiles.revisionId, position: revisionFiles.position, path: revisionFiles.path, oldPath: revisionFiles.oldPath, status: revisionFiles.status, binary: revisionFiles.binary, language: revisionFiles.language, additions: revisionFiles.additions, deletions: revisionFiles.deletions, hunks: revisionFiles.hunks })
      .from(revisionFiles)
      .innerJoin(changes, eq(changes.currentRevisionId, revisionFiles.revisionId))
      .where(inArray(changes.status, SHIPPED)),
    q.select({ id: incidents.id, severity: incidents.severity, title: incidents.title, startedAt: incidents.startedAt, causeChangeId: incidents.causeChangeId }).from(incidents),
    q.select({ incidentId: incidentServices.incidentId, serviceId: incidentServices.serviceId }).from(incidentServices),
  ]);
  const servicesOf = group(links, (l) => l.changeId, (l) => l.serviceId);
  const filesOf = group(
    fileRows.sort((a, b) => a.position - b.position),
    (f) => f.revisionId,
    (f): DiffFile => ({ path: f.path, oldPath: f.oldPath, status: f.status as FileStatus, binary: f.binary, language: f.language, additions: f.additions, deletions: f.deletions, hunks: f.hunks }),
  );
  const incidentServiceIds = group(incidentLinks, (l) => l.incidentId, (l) => l.serviceId);
  return {
    changes: rows
      .map((r) => ({
        ...r,
        kind: r.kind as ChangeKind,
        aiLevel: r.aiLevel as AiLevel,
        lines: r.additions + r.deletions,
        serviceIds: servicesOf.get(r.id) ?? [],
        files: filesOf.get(r.revisionId) ?? [],
      }))
      .sort((a, b) => a.asOf.getTime() - b.asOf.getTime() || a.id - b.id),
    incidents: incidentRows.map((i) => ({ ...i, serviceIds: incidentServiceIds.get(i.id) ?? [] })).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()),
  };
}

function group<T, K, V>(rows: readonly T[], key: (r: T) => K, value: (r: T) => V): Map<K, V[]> {
  const m = new Map<K, V[]>();
  for (const r of rows) {
    const list = m.get(key(r));
    if (list) list.push(value(r));
    else m.set(key(r), [value(r)]);
  }
  return m;
}

/** Re-scores every shipped change with the context it had when its last revision arrived. */
export async function replayHistory(q: Queryable, opts: { stored?: boolean } = {}): Promise<EvalItem[]> {
  const [history, catalog, policy] = await Promise.all([loadHistory(q), loadCatalogGraph(q), getPolicy(q)]);
  const causes = new Set(history.incidents.map((i) => i.causeChangeId).filter((id): id is number => id !== null));
  if (opts.stored) return history.changes.map((c) => ({ score: c.storedScore, baseline: c.lines, label: causes.has(c.id) }));

  const windowMs = RISK_WEIGHTS.incidentHistory.windowDays * 86_400_000;
  const filesByChange = new Map(history.changes.map((c) => [c.id, c.files.map((f) => f.path)]));
  const slugOf = (id: number) => catalog.byId.get(id)?.slug;
  const byAuthor = group(history.changes, (c) => c.authorId, (c) => c);
  return history.changes.map((c) => {
    const asOf = c.asOf.getTime();
    const touched = c.serviceIds.map((id) => catalog.byId.get(id)).filter((s): s is GraphService => !!s);
    const touchedIds = new Set(c.serviceIds);
    const recentIncidents: RiskInput['recentIncidents'] = history.incidents
      .filter((i) => i.startedAt.getTime() < asOf && i.startedAt.getTime() >= asOf - windowMs && i.serviceIds.some((id) => touchedIds.has(id)))
      .map((i) => ({
        severity: i.severity,
        title: i.title,
        startedAt: i.startedAt,
        serviceSlugs: i.serviceIds.filter((id) => touchedIds.has(id)).map(slugOf).filter((s): s is string => !!s),
        ...(i.causeChangeId !== null ? { causedByPaths: filesByChange.get(i.causeChangeId) ?? [] } : {}),
      }));
    const authorPriorChanges = (byAuthor.get(c.authorId) ?? []).filter(
      (o) => o.id !== c.id && o.status === 'deployed' && o.asOf.getTime() < asOf && o.serviceIds.some((id) => touchedIds.has(id)),
    ).length;
    const assessment = assessChange({
      kind: c.kind,
      aiLevel: c.aiLevel,
      aiTool: c.aiTool,
      environment: c.environment,
      preDeployValidation: c.preDeployValidation,
      files: c.files,
      plan: c.plan ? parseTerraformPlan(c.plan) : null,
      touched,
      graph: catalog.graph,
      recentIncidents,
      authorPriorChanges,
      authorIsBot: c.authorIsBot,
      policy: policy.approvals,
    });
    return { score: assessment.risk.score, baseline: c.lines, label: causes.has(c.id) };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

export function formatReport(r: EvalReport, source: string): string {
  const top = `${pct(r.share)}`;
  const row = (name: string, m: EvalReport['score']) =>
    `  ${name.padEnd(30)} ${m.auc.toFixed(3).padStart(7)}   ${pct(m.topRecall).padStart(5)} (${formatFound(m.topFound)} of ${r.positives})`;
  const ratio = Number.isFinite(r.topRecallRatio) ? `${r.topRecallRatio.toFixed(1)}×` : 'infinitely';
  const verdict = r.beatsBaseline
    ? `The risk score beats "lines changed" by ${signed(r.aucGain)} ROC AUC and finds ${ratio} as many incident-causing changes in its top ${top} (${signed((r.score.topRecall - r.baseline.topRecall) * 100, 0)} points).`
    : `The risk score does NOT beat "lines changed" (ROC AUC ${signed(r.aucGain)}, top ${top} ${signed((r.score.topRecall - r.baseline.topRecall) * 100, 0)} points): review the weights in lib/policy/risk.ts.`;
  return [
    `Risk evaluation on ${r.n.toLocaleString('en-US')} shipped changes (deployed or rolled back); ${r.positives} of them caused an incident.`,
    `Scores: ${source}.`,
    '',
    `  ${''.padEnd(30)} ROC AUC   incident-causing changes in the top ${top}`,
    row('Risk score', r.score),
    row('Baseline: lines changed', r.baseline),
    '',
    verdict,
  ].join('\n');
}

function signed(x: number, digits = 3): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
}

function formatFound(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

export const riskEval: Command = {
  name: 'risk eval',
  summary: 'Replay the history: does the risk score find incident-causing changes better than lines changed?',
  help: [
    'Replays every deployed or rolled-back change (label: an incident names it as its cause), re-scoring it',
    'from its stored diff and plan with the context of its day and the current weights, and prints, for the',
    'risk score and for the baseline "lines changed", the ROC AUC and the share of incident-causing changes',
    'found in the top 20%. Exits 1 when the score does not beat the baseline.',
    '',
    'Options:',
    '  --stored        use the scores stored when each change arrived instead of re-scoring',
    '  --top <share>   the budget for the recall figure, as a fraction (default 0.2)',
    '  --json          print the figures as JSON',
    '',
    'Reads the database in DATABASE_URL or the embedded one (stop a server using the embedded database first).',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({ args, options: { stored: { type: 'boolean' }, top: { type: 'string' }, json: { type: 'boolean' } } });
    const share = values.top === undefined ? 0.2 : Number(values.top);
    if (!(share > 0 && share <= 1)) throw new CliError('--top must be a fraction between 0 and 1, e.g. 0.2.', 2);
    const h = await openCliDatabase();
    const items = await replayHistory(h.db, { stored: values.stored });
    const positives = items.filter((i) => i.label).length;
    if (positives === 0 || positives === items.length) {
      throw new CliError(`Nothing to evaluate: ${items.length} shipped changes, ${positives} of them caused an incident. Seed the demo history (countersign db seed) or import incidents first.`);
    }
    const report = evaluateRiskScore(items, share);
    out.line(values.json ? JSON.stringify(report, null, 2) : formatReport(report, values.stored ? 'as stored when each change arrived' : 'replayed with the current weights and the context of each change’s day'));
    return report.beatsBaseline ? 0 : 1;
  },
};

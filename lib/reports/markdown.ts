// The weekly report as Markdown, for pasting into a doc or a chat: the same content as the
// page, in the same order — what to discuss first, then the numbers, then the detail.
import { AI_LEVELS } from '@/db/schema/enums';
import { describeDelta, describeRateDelta, formatPct, type Delta, type RateDelta } from './deltas';
import { AI_SHORT, latencyText, minutesText, ordersText, shortDateTime } from './format';
import { escapeMd, partsToMarkdown } from './sentences';
import type { WeeklyReport } from './types';

const cell = (s: string) => escapeMd(s).replace(/\n/g, ' ');

export function reportToMarkdown(r: WeeklyReport, origin: string | null = null): string {
  const h = r.headline;
  const link = (text: string, href: string) => (origin ? `[${escapeMd(text)}](${origin}${href})` : escapeMd(text));
  const out: string[] = [];
  out.push(`# This Week in Stores Tech — ${r.isoWeek}`, '', `*${r.range}${r.complete ? '' : ' (week in progress)'} · generated ${shortDateTime(r.generatedAt)}*`, '');

  out.push('## What leaders must discuss', '');
  for (const d of r.discuss) out.push(`- ${d.tone === 'critical' ? '**' : ''}${partsToMarkdown(d.parts, origin)}${d.tone === 'critical' ? '**' : ''}`);
  out.push('');

  out.push('## Headline numbers', '', '| | This week | Last week | Change |', '|---|---:|---:|---|');
  const row = (label: string, d: Delta, fmt: (n: number) => string = (n) => n.toLocaleString('en-US')) =>
    out.push(`| ${label} | ${fmt(d.current)} | ${fmt(d.previous)} | ${describeDelta(d)} |`);
  const rate = (label: string, d: RateDelta, digits = 0) => out.push(`| ${label} | ${formatPct(d.current, digits)} | ${formatPct(d.previous, digits)} | ${describeRateDelta(d)} |`);
  row('Changes shipped', h.changesShipped);
  rate('AI-assisted', h.aiShare.assisted);
  rate('AI-generated', h.aiShare.generated);
  rate('AI agent', h.aiShare.agent);
  row('Tier-1 changes shipped', h.tier1Changes);
  rate('Tier-1 with two valid approvals', h.tier1Compliance);
  row('Gate bypasses', h.bypasses);
  row('Incidents', h.incidents);
  out.push(
    `| Incidents by severity | ${[1, 2, 3, 4].map((s) => `SEV-${s}: ${h.incidentsBySeverity[s as 1].current}`).join(', ')} | ${[1, 2, 3, 4]
      .map((s) => `SEV-${s}: ${h.incidentsBySeverity[s as 1].previous}`)
      .join(', ')} | |`,
  );
  row('Minutes of impact', h.minutesOfImpact);
  out.push(
    `| Lost orders (where known) | ${h.lostOrders.current === null ? '—' : h.lostOrders.current.toLocaleString('en-US')} | ${
      h.lostOrders.previous === null ? '—' : h.lostOrders.previous.toLocaleString('en-US')
    } | ${h.lostOrders.current === null && h.lostOrders.previous === null ? '' : describeDelta(h.lostOrders.delta)} |`,
  );
  rate('Change failure rate', h.changeFailureRate, 1);
  out.push(`| Approval latency (median / p90) | ${latencyText(h.approvalLatencyMedian.current)} / ${latencyText(h.approvalLatencyP90.current)} | ${latencyText(h.approvalLatencyMedian.previous)} / ${latencyText(h.approvalLatencyP90.previous)} | |`);
  out.push('');

  if (r.incidents.length) {
    out.push('## Incidents', '');
    for (const i of r.incidents) {
      const impact = [i.minutes === null ? 'still open' : minutesText(i.minutes), i.lostOrders !== null ? `${ordersText(i.lostOrders)} orders lost` : null, i.ordersDropPct !== null ? `orders down ${i.ordersDropPct}%` : null]
        .filter(Boolean)
        .join(', ');
      out.push(`### SEV-${i.severity} ${link(i.externalId, `/incidents/${i.id}`)} — ${escapeMd(i.title)}`, '');
      out.push(`- **Started** ${shortDateTime(i.startedAt)}${i.resolvedAt ? `, resolved ${shortDateTime(i.resolvedAt)}` : ''} · ${impact}`);
      if (i.services.length) out.push(`- **Services** ${i.services.join(', ')}`);
      if (i.impact) out.push(`- **Impact** ${escapeMd(i.impact)}`);
      out.push(
        i.cause
          ? `- **Caused by** ${link(i.cause.externalId, `/changes/${i.cause.id}`)} “${escapeMd(i.cause.title)}” — risk ${i.cause.riskScore} (${i.cause.riskLevel}), ${AI_SHORT[i.cause.aiLevel]}${
              i.cause.deployedAt ? `, deployed ${shortDateTime(i.cause.deployedAt)}${i.cause.deployedBy ? ` by ${i.cause.deployedBy}` : ''}` : ''
            }${i.cause.bypass ? ', **without an allowing gate decision**' : ''}`
          : '- **Caused by** no change is linked as its cause',
      );
      out.push('');
    }
  }

  if (r.bypasses.length) {
    out.push('## Gate bypasses', '', '| When | Change | Deployed by | How |', '|---|---|---|---|');
    for (const b of r.bypasses) out.push(`| ${shortDateTime(b.at)} | ${link(b.change.externalId, `/changes/${b.change.id}`)} ${cell(b.change.title)} | ${b.deployedBy ?? '—'} | ${b.source} |`);
    out.push('');
  }

  if (r.tier1WithoutTwoApprovals.length) {
    out.push('## Tier-1 changes shipped without two valid approvals', '', '| Change | Approvals at deploy | Risk | Deployed |', '|---|---:|---:|---|');
    for (const c of r.tier1WithoutTwoApprovals) out.push(`| ${link(c.externalId, `/changes/${c.id}`)} ${cell(c.title)} | ${c.approvalsAtDeploy} of 2 | ${c.riskScore} | ${shortDateTime(c.deployedAt)} |`);
    out.push('');
  }

  if (r.riskiestChanges.length) {
    out.push('## Riskiest changes shipped', '', '| Risk | Change | AI | Services | Approvals |', '|---:|---|---|---|---|');
    for (const c of r.riskiestChanges)
      out.push(`| ${c.riskScore} ${c.riskLevel} | ${link(c.externalId, `/changes/${c.id}`)} ${cell(c.title)} | ${AI_SHORT[c.aiLevel]} | ${c.services.join(', ')} | ${c.bypass ? 'gate bypassed' : `${c.approvalsAtDeploy} of ${c.requiredApprovals}`} |`);
    out.push('');
  }

  if (r.services.length) {
    out.push('## Services with the most risk', '', '| Service | Tier | Changes | High-risk | Max risk | Incidents |', '|---|---:|---:|---:|---:|---:|');
    for (const s of r.services) out.push(`| ${s.slug} | ${s.tier} | ${s.changes} | ${s.highRisk} | ${s.maxRisk} | ${s.incidents} |`);
    out.push('');
  }

  if (r.overdueBreakGlass.length) {
    out.push('## Overdue break-glass follow-up reviews', '');
    for (const b of r.overdueBreakGlass) out.push(`- ${link(b.change.externalId, `/changes/${b.change.id}`)} opened by ${b.openedBy} ${shortDateTime(b.openedAt)}, review due ${shortDateTime(b.dueAt)}: ${escapeMd(b.justification)}`);
    out.push('');
  }

  if (r.watchouts.length) {
    out.push('## Watch-outs added', '');
    for (const w of r.watchouts) out.push(`- **${w.author}** on ${w.service ?? w.pattern ?? w.scope}: ${escapeMd(w.text)}`);
    out.push('');
  }

  out.push('## Changes shipped per day', '', `| Day | ${AI_LEVELS.map((l) => AI_SHORT[l]).join(' | ')} |`, `|---|${AI_LEVELS.map(() => '---:').join('|')}|`);
  for (const d of r.charts.perDay) out.push(`| ${d.date} | ${AI_LEVELS.map((l) => d[l]).join(' | ')} |`);
  out.push('');

  out.push('## Attestation', '');
  if (r.attestations.length) for (const a of r.attestations) out.push(`- Reviewed by ${escapeMd(a.name)} (${a.role}) on ${shortDateTime(a.attestedAt)}${a.note ? `: ${escapeMd(a.note)}` : ''}`);
  else out.push('- Not yet attested by a director or VP.');
  out.push('');
  return out.join('\n');
}

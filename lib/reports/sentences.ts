// "What leaders must discuss": short sentences generated from the week's data, most
// important first — incidents and what caused them, gate bypasses, Tier-1 changes without
// two-person sign-off, overdue break-glass reviews, the riskiest changes shipped, the
// services that carried the most risk, notable trends, and new watch-outs.
import type { DiscussItem, Headline, ReportIncident, ShippedChange, TextPart, WeekDetail, WeekFigures } from './types';
import { formatPct } from './deltas';
import { AI_WORDS, latencyText, minutesText, ordersText, plural, shortDate, shortDateTime, truncate } from './format';

export interface SentenceInput {
  current: WeekFigures;
  previous: WeekFigures;
  headline: Headline;
  detail: WeekDetail;
}

const changeLink = (c: { id: number; externalId: string }): TextPart => ({ text: c.externalId, href: `/changes/${c.id}` });
const incidentLink = (i: { id: number; externalId: string }): TextPart => ({ text: i.externalId, href: `/incidents/${i.id}` });
const quote = (s: string, max = 90) => `“${truncate(s, max)}”`;

/** Joins parts with ", " and " and ", keeping links as parts. */
function listParts(items: TextPart[][], max = 3): TextPart[] {
  const shown = items.slice(0, max);
  const out: TextPart[] = [];
  shown.forEach((parts, i) => {
    if (i > 0) out.push(i === shown.length - 1 && items.length <= max ? ' and ' : ', ');
    out.push(...parts);
  });
  if (items.length > max) out.push(` and ${items.length - max} more`);
  return out;
}

function incidentSentence(i: ReportIncident): TextPart[] {
  const parts: TextPart[] = [`SEV-${i.severity} `, incidentLink(i), ` ${quote(i.title, 110)}: `];
  const impact: string[] = [];
  if (i.minutes !== null) impact.push(`${minutesText(i.minutes)} of impact`);
  else impact.push('still open');
  if (i.lostOrders !== null && i.lostOrders > 0) impact.push(`${ordersText(i.lostOrders)} orders lost${i.ordersDropPct ? ` (orders down ${i.ordersDropPct}%)` : ''}`);
  parts.push(`${impact.join(', ')}. `);
  const c = i.cause;
  if (!c) {
    parts.push('No change is linked as its cause.');
    return parts;
  }
  parts.push('Caused by ', changeLink(c), ` ${quote(c.title, 70)} (risk ${c.riskScore}, ${c.riskLevel}; ${AI_WORDS[c.aiLevel]})`);
  if (c.deployedAt) {
    parts.push(`, deployed ${shortDateTime(c.deployedAt)}${c.deployedBy ? ` by ${c.deployedBy}` : ''}`);
    if (c.bypass) parts.push(' without an allowing gate decision');
    else if (c.approvalsAtDeploy !== null && c.tier === 1 && c.approvalsAtDeploy < 2) parts.push(` with ${plural(c.approvalsAtDeploy, 'valid approval')}`);
  }
  parts.push('.');
  return parts;
}

function shippedTraits(c: ShippedChange): string {
  const traits = [`risk ${c.riskScore} (${c.riskLevel})`, AI_WORDS[c.aiLevel]];
  if (c.destructive) traits.push('destructive');
  if (c.bypass) traits.push('gate bypassed');
  else if (c.requiredApprovals > 0) traits.push(`${c.approvalsAtDeploy} of ${c.requiredApprovals} approvals`);
  return traits.join(', ');
}

export function discussionItems({ current, headline, detail }: SentenceInput): DiscussItem[] {
  const items: DiscussItem[] = [];
  const major = detail.incidents.filter((i) => i.severity <= 2);
  const minor = detail.incidents.filter((i) => i.severity > 2);

  for (const i of major) items.push({ key: `incident-${i.id}`, tone: 'critical', parts: incidentSentence(i) });

  if (detail.bypasses.length) {
    items.push({
      key: 'bypasses',
      tone: 'critical',
      parts: [
        `${plural(detail.bypasses.length, 'production deployment')} bypassed the deploy gate: `,
        ...listParts(detail.bypasses.map((b) => [changeLink(b.change), ` by ${b.deployedBy ?? 'an unknown pipeline'} (${b.source}, ${shortDateTime(b.at)})`])),
        '.',
      ],
    });
  }

  const confirmations = detail.adminConfirmations ?? [];
  if (confirmations.length) {
    const pending = confirmations.filter((c) => c.status === 'pending').length;
    const what: Record<string, string> = { 'person.update': 'raise for', 'person.create': 'approver account', 'person.password': 'new password for', 'service.tier': 'lower tier for' };
    items.push({
      key: 'admin-confirmations',
      tone: pending ? 'warning' : 'info',
      parts: [
        `${plural(confirmations.length, 'administrator request')} needed a second administrator${pending ? ` (${pending} still pending)` : ''}: `,
        ...listParts(confirmations.map((c) => [`${what[c.kind] ?? c.kind} ${c.subject} asked by ${c.requestedBy}, ${c.status === 'pending' ? 'pending' : `${c.status} by ${c.decidedBy ?? 'another administrator'}`}`])),
        '.',
      ],
    });
  }

  const without = detail.tier1WithoutTwo;
  if (without.length) {
    const n = current.tier1.changes - current.tier1.compliant;
    items.push({
      key: 'tier1-without-two',
      tone: 'critical',
      parts: [
        `${plural(n, 'Tier-1 change')} shipped without two valid approvals: `,
        ...listParts(without.map((c) => [changeLink(c), ` (${c.approvalsAtDeploy} of 2${c.bypass ? ', gate bypassed' : ''})`])),
        `. Two-person compliance ${formatPct(headline.tier1Compliance.current)}.`,
      ],
    });
  }

  if (detail.overdueBreakGlass.length) {
    items.push({
      key: 'break-glass',
      tone: 'warning',
      parts: [
        `${plural(detail.overdueBreakGlass.length, 'break-glass follow-up review is', 'break-glass follow-up reviews are')} overdue: `,
        ...listParts(detail.overdueBreakGlass.map((b) => [changeLink(b.change), ` (opened by ${b.openedBy} on ${shortDate(b.openedAt)}, due ${shortDate(b.dueAt)})`])),
        '.',
      ],
    });
  }

  const risky = detail.riskiest.filter((c) => c.riskLevel === 'critical' || c.riskLevel === 'high');
  const top = risky[0];
  if (top) {
    const parts: TextPart[] = ['Riskiest change shipped: ', changeLink(top), ` ${quote(top.title, 80)} — ${shippedTraits(top)}.`];
    const more = risky.length - 1;
    if (more > 0) parts.push(' Also high-risk: ', ...listParts(risky.slice(1).map((c) => [changeLink(c), ` (${c.riskScore})`]), 4), '.');
    items.push({ key: 'riskiest', tone: top.riskLevel === 'critical' ? 'warning' : 'info', parts });
  }

  if (minor.length) {
    const caused = minor.filter((i) => i.cause);
    const minutes = minor.reduce((n, i) => n + (i.minutes ?? 0), 0);
    const parts: TextPart[] = [`${plural(minor.length, 'minor incident')} (SEV-3/4), ${minutesText(minutes)} of impact in all`];
    if (caused.length) parts.push('; caused by ', ...listParts(caused.map((i) => [changeLink(i.cause!)])));
    parts.push('.');
    items.push({ key: 'minor-incidents', tone: 'info', parts });
  }

  const hot = detail.services.filter((x) => x.highRisk > 0 || x.incidents > 0).slice(0, 3);
  if (hot.length) {
    const facts = (x: (typeof hot)[number]) => {
      const f: string[] = [];
      if (x.incidents) f.push(plural(x.incidents, 'incident'));
      if (x.highRisk) f.push(`${x.highRisk} of ${plural(x.changes, 'change')} high-risk`);
      else f.push(plural(x.changes, 'change'));
      f.push(`max risk ${x.maxRisk}`);
      return `${x.slug} (Tier ${x.tier}: ${f.join(', ')})`;
    };
    items.push({ key: 'services', tone: 'info', parts: [`Services with the most risk: ${hot.map(facts).join('; ')}.`] });
  }

  const cfr = headline.changeFailureRate;
  if (cfr.current !== null && cfr.changePts !== null && cfr.changePts >= 2) {
    items.push({
      key: 'cfr-trend',
      tone: 'warning',
      parts: [`Change failure rate rose to ${formatPct(cfr.current, 1)} (${formatPct(cfr.previous, 1)} last week): ${plural(current.failedDeployments, 'deployment')} led to an incident.`],
    });
  }
  const ai = headline.aiShare.any;
  if (ai.current !== null && ai.changePts !== null && Math.abs(ai.changePts) >= 10) {
    items.push({
      key: 'ai-trend',
      tone: 'info',
      parts: [`AI was involved in ${formatPct(ai.current)} of changes shipped, ${ai.changePts > 0 ? 'up' : 'down'} from ${formatPct(ai.previous)} last week.`],
    });
  }
  const lat = headline.approvalLatencyMedian;
  if (lat.current !== null && lat.previous !== null && lat.previous > 0 && lat.current >= lat.previous * 2 && lat.current - lat.previous >= 60) {
    items.push({ key: 'latency-trend', tone: 'info', parts: [`Median time to a second approval doubled: ${latencyText(lat.current)} (${latencyText(lat.previous)} last week).`] });
  }

  if (detail.watchouts.length) {
    items.push({
      key: 'watchouts',
      tone: 'info',
      parts: [
        `${plural(detail.watchouts.length, 'watch-out was', 'watch-outs were')} added: `,
        ...listParts(detail.watchouts.map((w) => [`${w.author} on ${w.service ?? w.pattern ?? w.scope}: ${quote(w.text, 100)}`]), 3),
        '.',
      ],
    });
  }

  if (!items.length) {
    const quiet =
      current.changesShipped === 0 && current.incidents.total === 0
        ? 'Nothing was deployed to production and no incident started this week.'
        : `A quiet week: ${plural(current.changesShipped, 'change')} shipped, no incident, no bypass, every Tier-1 change signed off by two people.`;
    items.push({ key: 'quiet', tone: 'info', parts: [quiet] });
  }
  return items;
}

/** A discussion item as plain text (Markdown without links, PDF). */
export function partsToText(parts: TextPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
}

/** As Markdown, with absolute links when an origin is known. */
export function partsToMarkdown(parts: TextPart[], origin: string | null): string {
  return parts.map((p) => (typeof p === 'string' ? escapeMd(p) : origin ? `[${escapeMd(p.text)}](${origin}${p.href})` : escapeMd(p.text))).join('');
}

export function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

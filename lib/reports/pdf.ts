// The weekly report as a printable PDF (pdfkit, standard fonts): the discussion points
// first, then the headline table, a chart of changes per day, and the detail sections.
import PDFDocument from 'pdfkit';
import { AI_LEVELS, type AiLevel } from '@/db/schema/enums';
import { describeDelta, describeRateDelta, formatPct, type Delta, type RateDelta } from './deltas';
import { AI_SHORT, latencyText, minutesText, ordersText, shortDateTime, truncate } from './format';
import { partsToText } from './sentences';
import type { WeeklyReport } from './types';

const MARGIN = 48;
const INK = '#18181b';
const MUTED = '#71717a';
const RULE = '#e4e4e7';
const TONE_COLOUR = { critical: '#dc2626', warning: '#d97706', info: '#4f46e5' } as const;
// Colour-blind-safe series (Okabe–Ito), the same as the page's charts.
export const AI_COLOURS: Record<AiLevel, string> = { none: '#9ca3af', assisted: '#56b4e9', generated: '#e69f00', agent: '#cc79a7' };

/** The standard PDF fonts speak Windows-1252: map what they cannot draw to what they can. */
export function pdfText(s: string): string {
  return s
    .replace(/[−‒]/g, '-')
    .replace(/[≥]/g, '>=')
    .replace(/[≤]/g, '<=')
    .replace(/[→]/g, '->')
    .replace(/[^\x20-\x7e\xa0-\xff–—‘’“”…•€]/g, '?');
}

export async function reportToPdf(r: WeeklyReport, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: opts.compress ?? true,
    info: { Title: `This Week in Stores Tech — ${r.isoWeek}`, Author: 'Countersign', Subject: `Weekly report ${r.isoWeek} (${r.range})` },
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const text = (s: string, o: PDFKit.Mixins.TextOptions = {}) => doc.text(pdfText(s), o);
  const ensure = (h: number) => {
    if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
  };
  const heading = (s: string) => {
    ensure(60);
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor(INK);
    text(s);
    doc.moveTo(MARGIN, doc.y + 2).lineTo(MARGIN + width, doc.y + 2).strokeColor(RULE).lineWidth(0.5).stroke();
    doc.moveDown(0.5).font('Helvetica').fontSize(9.5).fillColor(INK);
  };

  // Title
  doc.font('Helvetica-Bold').fontSize(20).fillColor(INK);
  text(`This Week in Stores Tech — ${r.isoWeek}`);
  doc.font('Helvetica').fontSize(10).fillColor(MUTED);
  text(`${r.range}${r.complete ? '' : ' (week in progress)'} · generated ${shortDateTime(r.generatedAt)} by Countersign`);

  heading('What leaders must discuss');
  for (const d of r.discuss) {
    ensure(30);
    const y = doc.y;
    doc.circle(MARGIN + 4, y + 5, 3).fill(TONE_COLOUR[d.tone]);
    doc.fillColor(INK).font(d.tone === 'critical' ? 'Helvetica-Bold' : 'Helvetica').fontSize(9.5);
    doc.text(pdfText(partsToText(d.parts)), MARGIN + 14, y, { width: width - 14 });
    doc.moveDown(0.35);
  }
  doc.x = MARGIN;

  heading('Headline numbers');
  const h = r.headline;
  const rows: [string, string, string, string][] = [];
  const n = (v: number) => v.toLocaleString('en-US');
  const row = (label: string, d: Delta, fmt = n) => rows.push([label, fmt(d.current), fmt(d.previous), describeDelta(d)]);
  const rate = (label: string, d: RateDelta, digits = 0) => rows.push([label, formatPct(d.current, digits), formatPct(d.previous, digits), describeRateDelta(d)]);
  row('Changes shipped', h.changesShipped);
  rate('AI-assisted share', h.aiShare.assisted);
  rate('AI-generated share', h.aiShare.generated);
  rate('AI agent share', h.aiShare.agent);
  row('Tier-1 changes shipped', h.tier1Changes);
  rate('Tier-1 with two valid approvals', h.tier1Compliance);
  row('Gate bypasses', h.bypasses);
  row('Incidents', h.incidents);
  rows.push(['  by severity (SEV-1/2/3/4)', [1, 2, 3, 4].map((s) => h.incidentsBySeverity[s as 1].current).join(' / '), [1, 2, 3, 4].map((s) => h.incidentsBySeverity[s as 1].previous).join(' / '), '']);
  row('Minutes of impact', h.minutesOfImpact);
  rows.push(['Lost orders (where known)', h.lostOrders.current === null ? '—' : n(h.lostOrders.current), h.lostOrders.previous === null ? '—' : n(h.lostOrders.previous), describeDelta(h.lostOrders.delta)]);
  rate('Change failure rate', h.changeFailureRate, 1);
  rows.push(['Approval latency median / p90', `${latencyText(h.approvalLatencyMedian.current)} / ${latencyText(h.approvalLatencyP90.current)}`, `${latencyText(h.approvalLatencyMedian.previous)} / ${latencyText(h.approvalLatencyP90.previous)}`, '']);
  table(doc, ['', 'This week', 'Last week', 'Change'], rows, [0.4, 0.18, 0.18, 0.24], width);

  // Keep the chart with its heading.
  ensure(200);
  heading('Changes shipped per day, by AI involvement');
  barChart(doc, r, width);

  if (r.incidents.length) {
    heading('Incidents');
    for (const i of r.incidents) {
      ensure(70);
      doc.font('Helvetica-Bold').fontSize(10).fillColor(i.severity <= 2 ? TONE_COLOUR.critical : INK);
      text(`SEV-${i.severity} ${i.externalId} — ${i.title}`);
      doc.font('Helvetica').fontSize(9).fillColor(INK);
      const impact = [i.minutes === null ? 'still open' : minutesText(i.minutes), i.lostOrders !== null ? `${ordersText(i.lostOrders)} orders lost` : null, i.ordersDropPct !== null ? `orders down ${i.ordersDropPct}%` : null].filter(Boolean);
      text(`${shortDateTime(i.startedAt)} · ${impact.join(', ')} · ${i.services.join(', ')}`);
      if (i.impact) text(i.impact, { width });
      text(
        i.cause
          ? `Caused by ${i.cause.externalId} “${i.cause.title}” — risk ${i.cause.riskScore} (${i.cause.riskLevel}), ${AI_SHORT[i.cause.aiLevel]}${i.cause.deployedAt ? `, deployed ${shortDateTime(i.cause.deployedAt)}${i.cause.deployedBy ? ` by ${i.cause.deployedBy}` : ''}` : ''}${i.cause.bypass ? ', without an allowing gate decision' : ''}.`
          : 'No change is linked as its cause.',
        { width },
      );
      doc.moveDown(0.5);
    }
  }

  if (r.bypasses.length) {
    heading('Gate bypasses');
    table(doc, ['When', 'Change', 'Deployed by', 'How'], r.bypasses.map((b) => [shortDateTime(b.at), `${b.change.externalId} ${truncate(b.change.title, 60)}`, b.deployedBy ?? '—', b.source]), [0.2, 0.55, 0.15, 0.1], width);
  }
  if (r.tier1WithoutTwoApprovals.length) {
    heading('Tier-1 changes shipped without two valid approvals');
    table(doc, ['Change', 'Approvals', 'Risk', 'Deployed'], r.tier1WithoutTwoApprovals.map((c) => [`${c.externalId} ${truncate(c.title, 60)}`, `${c.approvalsAtDeploy} of 2`, String(c.riskScore), shortDateTime(c.deployedAt)]), [0.55, 0.12, 0.1, 0.23], width);
  }
  if (r.riskiestChanges.length) {
    heading('Riskiest changes shipped');
    table(
      doc,
      ['Risk', 'Change', 'AI', 'Approvals'],
      r.riskiestChanges.map((c) => [`${c.riskScore} ${c.riskLevel}`, `${c.externalId} ${truncate(c.title, 60)}`, AI_SHORT[c.aiLevel], c.bypass ? 'gate bypassed' : `${c.approvalsAtDeploy} of ${c.requiredApprovals}`]),
      [0.12, 0.56, 0.14, 0.18],
      width,
    );
  }
  if (r.services.length) {
    heading('Services with the most risk');
    table(doc, ['Service', 'Tier', 'Changes', 'High-risk', 'Max risk', 'Incidents'], r.services.map((s) => [s.slug, String(s.tier), String(s.changes), String(s.highRisk), String(s.maxRisk), String(s.incidents)]), [0.35, 0.1, 0.13, 0.14, 0.14, 0.14], width);
  }
  if (r.overdueBreakGlass.length) {
    heading('Overdue break-glass follow-up reviews');
    for (const b of r.overdueBreakGlass) text(`${b.change.externalId} — opened by ${b.openedBy} ${shortDateTime(b.openedAt)}, review due ${shortDateTime(b.dueAt)}: ${b.justification}`, { width });
  }
  if (r.watchouts.length) {
    heading('Watch-outs added');
    for (const w of r.watchouts) text(`${w.author} on ${w.service ?? w.pattern ?? w.scope}: ${w.text}`, { width });
  }

  heading('Attestation');
  if (r.attestations.length) for (const a of r.attestations) text(`Reviewed by ${a.name} (${a.role}) on ${shortDateTime(a.attestedAt)}${a.note ? ` — ${a.note}` : ''}`, { width });
  else text('Not yet attested by a director or VP.');

  // Page numbers
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start a new page: lift the margin for the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor(MUTED);
    doc.text(pdfText(`Countersign · TWiST ${r.isoWeek} · page ${i + 1} of ${range.count}`), MARGIN, doc.page.height - MARGIN + 16, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function table(doc: PDFKit.PDFDocument, head: string[], rows: string[][], fractions: number[], width: number): void {
  const cols = fractions.map((f) => f * width);
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5).fillColor(bold ? MUTED : INK);
    const heights = cells.map((c, i) => doc.heightOfString(pdfText(c), { width: cols[i]! - 6 }));
    const h = Math.max(...heights, 10) + 4;
    if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.text(pdfText(c), x, y + 2, { width: cols[i]! - 6 });
      x += cols[i]!;
    });
    doc.moveTo(MARGIN, y + h).lineTo(MARGIN + width, y + h).strokeColor(RULE).lineWidth(0.5).stroke();
    doc.y = y + h + 1;
  };
  drawRow(head, true);
  for (const r of rows) drawRow(r, false);
  doc.x = MARGIN;
}

function barChart(doc: PDFKit.PDFDocument, r: WeeklyReport, width: number): void {
  const height = 110;
  if (doc.y + height + 40 > doc.page.height - MARGIN) doc.addPage();
  const top = doc.y + 4;
  const max = Math.max(1, ...r.charts.perDay.map((d) => AI_LEVELS.reduce((n, l) => n + d[l], 0)));
  const slot = width / r.charts.perDay.length;
  const barW = Math.min(36, slot * 0.6);
  doc.moveTo(MARGIN, top + height).lineTo(MARGIN + width, top + height).strokeColor(RULE).lineWidth(0.5).stroke();
  r.charts.perDay.forEach((d, i) => {
    let y = top + height;
    const x = MARGIN + i * slot + (slot - barW) / 2;
    let total = 0;
    for (const l of AI_LEVELS) {
      const h = (d[l] / max) * (height - 12);
      total += d[l];
      if (h > 0) {
        doc.rect(x, y - h, barW, h).fill(AI_COLOURS[l]);
        y -= h;
      }
    }
    doc.font('Helvetica').fontSize(8).fillColor(INK).text(String(total), x, y - 11, { width: barW, align: 'center' });
    const day = new Date(`${d.date}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
    doc.fillColor(MUTED).text(day, MARGIN + i * slot, top + height + 4, { width: slot, align: 'center' });
  });
  let lx = MARGIN;
  const ly = top + height + 20;
  for (const l of AI_LEVELS) {
    doc.rect(lx, ly + 1, 8, 8).fill(AI_COLOURS[l]);
    doc.fillColor(INK).fontSize(8).text(AI_SHORT[l], lx + 12, ly, { lineBreak: false });
    lx += 90;
  }
  doc.x = MARGIN;
  doc.y = ly + 16;
}

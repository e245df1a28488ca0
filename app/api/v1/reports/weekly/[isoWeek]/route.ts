import { z } from 'zod';
import { getWeeklyReport } from '@/db/queries/reports';
import { apiRoute } from '@/lib/api/route';
import { badRequest } from '@/lib/errors';
import { IsoWeekError } from '@/lib/reports/iso-week';
import { reportToMarkdown } from '@/lib/reports/markdown';
import { reportToPdf } from '@/lib/reports/pdf';

export const dynamic = 'force-dynamic';

const Query = z.object({ format: z.enum(['json', 'md', 'pdf']).default('json') });

/** The weekly report of an ISO week (`2026-W11`) for anyone signed in: JSON, `?format=md` or `?format=pdf`. */
export const GET = apiRoute<undefined, z.infer<typeof Query>, { isoWeek: string }>({ query: Query }, async ({ db, params, query, req }) => {
  let report;
  try {
    report = await getWeeklyReport(db, { isoWeek: params.isoWeek });
  } catch (err) {
    if (err instanceof IsoWeekError) throw badRequest('invalid_week', err.message);
    throw err;
  }
  const file = `twist-${report.isoWeek}`;
  if (query.format === 'md') {
    return new Response(reportToMarkdown(report, new URL(req.url).origin), {
      headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `inline; filename="${file}.md"`, 'cache-control': 'private, no-store' },
    });
  }
  if (query.format === 'pdf') {
    const pdf = await reportToPdf(report);
    return new Response(new Uint8Array(pdf), {
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${file}.pdf"`, 'content-length': String(pdf.length), 'cache-control': 'private, no-store' },
    });
  }
  return Response.json(report, { headers: { 'cache-control': 'private, no-store' } });
});

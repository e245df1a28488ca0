// `countersign incidents import <file.csv|file.json>`: an incident tracker's export. Through the
// server with a token, or straight to the database without one (like `catalog import`).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportResult, IncidentFormat } from '@/lib/incidents/import';
import type { Command } from '../command';
import { CliError, openCliDatabase, out } from '../context';
import { callServer, readSource, serverToken, serverUrl } from '../http';

interface Answer {
  recorded: number;
  updated: number;
  unchanged: number;
  invalid: ImportResult['invalid'];
  ignoredFields: string[];
  rescored: number;
}

export const incidentsImport: Command = {
  name: 'incidents import',
  summary: 'Import incidents from a CSV or JSON export (idempotent by incident id).',
  help: [
    'Usage: countersign incidents import <file.csv|file.json|-> [--format csv|json] [--url <server> --token <token>] [--json]',
    '',
    'Fields: id, title, severity (SEV1–SEV4, 1–4 or P1–P4), started, resolved (ISO 8601),',
    'services (comma-separated slugs), causeChange (Countersign id or org/repo#123), impact,',
    'lostOrders, ordersDropPct, summary, lessons. CSV needs a header row; JSON is an array or',
    '{"incidents": [...]}. Rows that fail are listed with their line; the others are recorded.',
    '',
    '  --format <csv|json>  default: from the file extension',
    '  --token <token>      import through the server at --url (default $COUNTERSIGN_TOKEN)',
    '  --url <url>          the server (default $COUNTERSIGN_URL or http://localhost:$PORT)',
    '',
    'Without a token the import writes to DATABASE_URL (or the embedded database) directly.',
    'Exit status: 0 when every row was recorded, 1 when some rows were refused, 2 on usage errors.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } } });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new CliError('Give one file: countersign incidents import incidents.csv', 2);
    const format = (values.format ?? path.extname(file).slice(1).toLowerCase()) as IncidentFormat;
    if (format !== 'csv' && format !== 'json') throw new CliError('Say --format csv or --format json (the file extension did not tell).', 2);
    const text = await readSource(file, 'incidents');
    const token = serverToken(values.token);
    let r: Answer;
    if (token) {
      r = (await callServer<Answer>({ url: serverUrl(values.url), token }, { path: `/api/v1/incidents/import?format=${format}`, raw: { body: text, contentType: format === 'csv' ? 'text/csv' : 'application/json' } })).body;
    } else {
      const h = await openCliDatabase();
      const { importIncidents } = await import('@/lib/incidents/import');
      const res = await importIncidents(h.db, text, format, { personId: null, label: 'cli' });
      r = {
        recorded: res.items.filter((i) => i.created).length,
        updated: res.items.filter((i) => !i.created && i.changed.length).length,
        unchanged: res.items.filter((i) => !i.created && !i.changed.length).length,
        invalid: res.invalid,
        ignoredFields: res.ignoredFields,
        rescored: res.rescored.length,
      };
    }
    if (values.json) out.line(JSON.stringify(r, null, 2));
    else {
      out.line(`Incidents: ${r.recorded} recorded, ${r.updated} updated, ${r.unchanged} unchanged${r.rescored ? `; ${r.rescored} open change${r.rescored === 1 ? '' : 's'} re-scored` : ''}.`);
      if (r.ignoredFields.length) out.line(`  Ignored columns: ${r.ignoredFields.join(', ')}`);
      for (const p of r.invalid) out.err(`  line ${p.line ?? '?'}${p.id ? ` (${p.id})` : ''}: ${p.reason}`);
    }
    return r.invalid.length ? 1 : 0;
  },
};

// `countersign catalog import <file|url>`: a Backstage catalog into the service graph. With a
// token (--token or COUNTERSIGN_TOKEN) it goes through the server (which may hold the embedded
// database); without one it writes to the database directly (PostgreSQL, or an embedded
// database no server is using).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportReport } from '@/lib/catalog/import';
import type { Command } from '../command';
import { CliError, openCliDatabase, out } from '../context';
import { callServer, readSource, serverToken, serverUrl } from '../http';

function printReport(r: ImportReport): void {
  const s = r.services;
  out.line(`Imported ${r.source}: ${r.entities} entities.`);
  out.line(`  Services: ${s.added.length} added, ${s.changed.length} changed, ${s.removed.length} removed, ${s.unchanged} unchanged`);
  for (const a of s.added) out.line(`    + ${a}`);
  for (const c of s.changed) out.line(`    ~ ${c.slug} (${c.fields.join(', ')})`);
  for (const x of s.removed) out.line(`    - ${x}`);
  out.line(`  Dependencies: ${r.edges.added.length} added, ${r.edges.removed.length} removed`);
  for (const [a, b] of r.edges.added) out.line(`    + ${a} → ${b}`);
  for (const [a, b] of r.edges.removed) out.line(`    - ${a} → ${b}`);
  if (r.teams.added.length || r.teams.changed.length) out.line(`  Teams: ${r.teams.added.length} added, ${r.teams.changed.length} changed`);
  if (r.rescored.length) {
    out.line(`  Re-scored ${r.rescored.length} open change${r.rescored.length === 1 ? '' : 's'}:`);
    for (const c of r.rescored) out.line(`    ${c.externalId}: risk ${c.before.score} → ${c.after.score}, approvals required ${c.before.required} → ${c.after.required}`);
  }
  for (const w of r.warnings) out.line(`  warning: line ${w.line}${w.entity ? ` ${w.entity}` : ''}: ${w.reason}`);
  if (r.invalid.length) {
    out.line(`  ${r.invalid.length} invalid entit${r.invalid.length === 1 ? 'y was' : 'ies were'} not imported:`);
    for (const p of r.invalid) out.line(`    line ${p.line}${p.entity ? ` ${p.entity}` : ''}: ${p.reason}`);
  }
}

export const catalogImport: Command = {
  name: 'catalog import',
  summary: 'Import a Backstage catalog-info.yaml (file or URL) into the service graph.',
  help: [
    'Usage: countersign catalog import <file|url|-> [--source <name>] [--url <server> --token <token>] [--json]',
    '',
    'Components and Resources become services (tier from the countersign.dev/tier annotation),',
    'Groups become teams, spec.dependsOn and providesApis/consumesApis become dependencies.',
    'Importing again updates in place; services that left this source are reported removed.',
    '',
    '  --source <name>   names this catalog (default: the file name); removals are per source',
    '  --token <token>   an admin token: import through the server at --url (default $COUNTERSIGN_TOKEN)',
    '  --url <url>       the server (default $COUNTERSIGN_URL or http://localhost:$PORT)',
    '  --json            print the import report as JSON',
    '',
    'Without a token the import writes to DATABASE_URL (or the embedded database) directly.',
    'Exit status: 0 when imported (invalid entities are listed), 1 when refused, 2 on usage errors.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { source: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } } });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new CliError('Give one catalog file or URL: countersign catalog import catalog-info.yaml', 2);
    const text = await readSource(file, 'catalog');
    const source = values.source ?? (file === '-' ? 'stdin' : /^https?:/i.test(file) ? file : path.basename(file));
    const token = serverToken(values.token);
    let report: ImportReport;
    if (token) {
      const q = new URLSearchParams({ source });
      report = (await callServer<ImportReport>({ url: serverUrl(values.url), token }, { path: `/api/v1/catalog/import?${q}`, raw: { body: text, contentType: 'application/yaml' } })).body;
    } else {
      const h = await openCliDatabase();
      const { importCatalog } = await import('@/lib/catalog/import');
      report = await importCatalog(h.db, text, { source, actor: { personId: null, label: 'cli' } });
    }
    if (values.json) out.line(JSON.stringify(report, null, 2));
    else printReport(report);
    return 0;
  },
};

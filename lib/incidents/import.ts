// Reading an incident tracker's export (CSV with a header row, or JSON: an array or
// {incidents: [...]}) into validated rows, each with its line; bad rows are reported, not fatal.
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { badRequest, tooLarge } from '@/lib/errors';
import type { Db } from '@/db/client';
import { CsvError, parseCsv } from './csv';
import { recordIncidents, type IncidentActor, type RecordResult, type RowProblem } from './record';
import { INCIDENT_LIMITS, IncidentInput, normaliseKeys, type Incident } from './schema';

export type IncidentFormat = 'csv' | 'json';

export interface ParsedIncidents {
  rows: { line: number; input: Incident }[];
  invalid: RowProblem[];
  /** Columns or keys that were not understood (ignored). */
  ignoredFields: string[];
}

export function formatOf(nameOrType: string): IncidentFormat | null {
  if (/json/i.test(nameOrType)) return 'json';
  if (/csv/i.test(nameOrType)) return 'csv';
  return null;
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const field = issue.path.map(String).join('.');
  return field ? `${field}: ${issue.message}` : issue.message;
}

function validate(line: number, raw: Record<string, unknown>, out: ParsedIncidents): void {
  const { row, unknown } = normaliseKeys(raw);
  for (const u of unknown) if (!out.ignoredFields.includes(u)) out.ignoredFields.push(u);
  const parsed = IncidentInput.safeParse(row);
  if (parsed.success) out.rows.push({ line, input: parsed.data });
  else out.invalid.push({ line, id: typeof row.id === 'string' ? row.id : null, reason: parsed.error.issues.map(describeIssue).join('; ') });
}

export function parseIncidentFile(text: string, format: IncidentFormat): ParsedIncidents {
  if (Buffer.byteLength(text) > INCIDENT_LIMITS.maxBytes) throw tooLarge(`The file is larger than ${INCIDENT_LIMITS.maxBytes} bytes; split it.`);
  const out: ParsedIncidents = { rows: [], invalid: [], ignoredFields: [] };
  if (format === 'csv') {
    let records;
    try {
      records = parseCsv(text);
    } catch (err) {
      if (err instanceof CsvError) throw badRequest('invalid_csv', `Line ${err.line}: ${err.message}.`);
      throw err;
    }
    const [header, ...body] = records;
    if (!header) throw badRequest('empty_file', 'The CSV file is empty: expected a header row (id,title,severity,started,…) and one row per incident.');
    const names = header.values.map((h) => h.trim());
    if (body.length > INCIDENT_LIMITS.maxRows) throw tooLarge(`More than ${INCIDENT_LIMITS.maxRows} incidents in one file; split it.`);
    for (const r of body) {
      if (r.values.length !== names.length) {
        out.invalid.push({ line: r.line, id: r.values[0] ?? null, reason: `${r.values.length} fields where the header has ${names.length}` });
        continue;
      }
      validate(r.line, Object.fromEntries(names.map((n, i) => [n, r.values[i]!])), out);
    }
    return out;
  }
  // JSON read as YAML (a superset) to know the line of each item.
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw badRequest('invalid_json', `Line ${counter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  }
  let list: Node | null = doc.contents as Node | null;
  if (isMap(list)) list = (list.get('incidents', true) as Node | undefined) ?? null;
  if (!isSeq(list)) throw badRequest('invalid_json', 'Expected a JSON array of incidents, or an object {"incidents": [...]}.');
  if (list.items.length > INCIDENT_LIMITS.maxRows) throw tooLarge(`More than ${INCIDENT_LIMITS.maxRows} incidents in one file; split it.`);
  for (const item of list.items as Node[]) {
    const line = counter.linePos(item.range?.[0] ?? 0).line;
    const value = item.toJSON() as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      out.invalid.push({ line, id: null, reason: 'not an object' });
      continue;
    }
    validate(line, value as Record<string, unknown>, out);
  }
  return out;
}

export interface ImportResult extends RecordResult {
  ignoredFields: string[];
}

/** Parses and records a file: valid rows in one transaction, bad rows reported with their line. */
export async function importIncidents(db: Db, text: string, format: IncidentFormat, actor: IncidentActor): Promise<ImportResult> {
  const parsed = parseIncidentFile(text, format);
  const recorded = parsed.rows.length ? await recordIncidents(db, parsed.rows, actor, { skipInvalid: true }) : { items: [], invalid: [], rescored: [] };
  const invalid = [...parsed.invalid, ...recorded.invalid].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ...recorded, invalid, ignoredFields: parsed.ignoredFields };
}

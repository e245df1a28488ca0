// What every detection rule shares: the per-file context, and one way to flag a line and record the
// finding, so the diff view and the score always agree on what was seen.
import type { DiffFile, DiffLine, LineFlag, RiskFinding } from './types';

export type Severity = LineFlag['severity'];

/** Rules read at most this much of a line (minified bundles and data blobs hold no commands) — bounds regex work. */
const MAX_SCANNED_LINE = 1000;
/** A SQL statement longer than this is read up to here. */
export const MAX_SQL_STATEMENT = 8000;

export function scannable(content: string): string {
  return content.length > MAX_SCANNED_LINE ? content.slice(0, MAX_SCANNED_LINE) : content;
}

export interface FileContext {
  file: DiffFile;
  annotate: boolean;
  findings: RiskFinding[];
  sql: boolean;
  test: boolean;
  /** Migrations have up/down sections; a DROP in `down` only undoes this change's own CREATE. */
  migration: boolean;
  /** Normalised guard conditions present on added lines anywhere in the file. */
  addedGuards: Set<string>;
  /** Added guard lines per hunk: a hunk that adds as many checks as it removes is a rewrite, not a removal. */
  addedGuardsPerHunk: number[];
  /** Terraform resource addresses declared on added lines (a rename keeps them). */
  addedResources: Set<string>;
  /** Addresses named in `moved { from = … }` blocks: moved, not destroyed. */
  movedFrom: Set<string>;
  /** Resources the plan already reports as deleted or replaced: flagged in the source, counted once. */
  planDestroys: ReadonlySet<string>;
  downMigrationFile: boolean;
}

/** Flags the line (when annotating) and records a finding, unless `record` is false (already counted elsewhere). */
export function addFlag(ctx: FileContext, line: DiffLine, key: string, severity: Severity, message: string, record = true): void {
  if (line.flags?.some((flag) => flag.key === key)) return;
  if (ctx.annotate) {
    const flag: LineFlag = { key, severity, message };
    if (line.flags) line.flags.push(flag);
    else line.flags = [flag];
  }
  if (!record) return;
  const lineNumber = line.type === 'del' ? line.oldNo : line.newNo;
  const finding: RiskFinding = { key, severity, message, path: ctx.file.path };
  if (lineNumber !== undefined) finding.line = lineNumber;
  if (!ctx.annotate && isDuplicate(ctx.findings, finding)) return;
  ctx.findings.push(finding);
}

function isDuplicate(findings: RiskFinding[], finding: RiskFinding): boolean {
  for (let i = findings.length - 1; i >= 0 && i >= findings.length - 8; i--) {
    const other = findings[i];
    if (other && other.key === finding.key && other.line === finding.line && other.path === finding.path) return true;
  }
  return false;
}

export function downgrade(severity: Severity, inDown: boolean): Severity {
  return inDown ? 'risky' : severity;
}

export function downNote(inDown: boolean): string {
  return inDown ? ' (in a down/rollback migration)' : '';
}

export function unquoteIdentifier(raw: string | undefined): string {
  if (!raw) return '?';
  return raw.replace(/^[`"[]|[`"\]]$/g, '');
}

export function snippet(content: string, max = 80): string {
  const text = content.slice(0, max * 4).trim().replace(/`/g, "'").replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The command itself, from its program name, without the surrounding code. */
export function commandSnippet(content: string, program: string): string {
  const at = content.indexOf(program);
  return snippet(at === -1 ? content : trimTrailing(content.slice(at), '"\'`),;', false));
}

/**
 * Removes trailing whitespace, then a run of `chars` (required unless `optional`), then whitespace
 * again when `optional`: what `/[chars]+\s*$/` or `/\s*[chars]\s*$/` remove, in linear time
 * (as regexes they backtrack quadratically over a long run that does not reach the end).
 */
export function trimTrailing(text: string, chars: string, optional: boolean): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  const afterSpace = end;
  if (optional) {
    if (end > 0 && chars.includes(text[end - 1]!)) {
      end--;
      while (end > 0 && /\s/.test(text[end - 1]!)) end--;
      return text.slice(0, end);
    }
    return text;
  }
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return end < afterSpace ? text.slice(0, end) : text;
}

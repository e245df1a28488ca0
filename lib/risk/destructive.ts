// Finds what can destroy data or remove a safety net — Terraform delete/replace, DROP/TRUNCATE,
// unbounded DELETE/UPDATE, kubectl/helm/terraform destroy, rm -rf, deleted files, removed guards,
// lowered limits — and marks the exact lines so the diff view can flag them. Only added lines are
// flagged, except for removed guards, which live on deleted lines. One pass per hunk, with a cheap
// prefilter so that ordinary code lines cost a single regex test.
import {
  isCode, isDocumentation, isInfrastructureDefinition, isTestPath,
} from './language';
import type {
  DiffFile, DiffHunk, DiffLine, LineFlag, RiskFinding, TerraformPlanSummary,
} from './types';

type Severity = LineFlag['severity'];

/** Rules read at most this much of a line (minified bundles and data blobs hold no commands) — bounds regex work. */
const MAX_SCANNED_LINE = 1000;
/** A SQL statement longer than this is read up to here. */
const MAX_SQL_STATEMENT = 8000;

function scannable(content: string): string {
  return content.length > MAX_SCANNED_LINE ? content.slice(0, MAX_SCANNED_LINE) : content;
}

export interface DetectOptions {
  /** Write LineFlag arrays onto the lines and files (default true); false keeps the input untouched. */
  annotate?: boolean;
}

/** Plan-level, file-level and line-level findings, most severe first. */
export function detectDestructive(
  files: readonly DiffFile[],
  plan: TerraformPlanSummary | null = null,
  options: DetectOptions = {},
): RiskFinding[] {
  const annotate = options.annotate !== false;
  const findings: RiskFinding[] = [];
  const planFindings = plan ? findPlanDestruction(plan) : [];
  findings.push(...planFindings);
  const planDestroys = new Set(planFindings.map((f) => f.path));
  for (const file of files) scanFile(file, annotate, findings, planDestroys);
  return sortFindings(findings);
}

const SEVERITY_RANK: Record<Severity, number> = { destructive: 0, risky: 1 };
const PLAN_KEY_RANK: Record<string, number> = { tf_replace: 0, tf_delete: 1 };

function sortFindings(findings: RiskFinding[]): RiskFinding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity]
      || (PLAN_KEY_RANK[a.finding.key] ?? 9) - (PLAN_KEY_RANK[b.finding.key] ?? 9)
      || a.index - b.index)
    .map(({ finding }) => finding);
}

function findPlanDestruction(plan: TerraformPlanSummary): RiskFinding[] {
  const findings: RiskFinding[] = [];
  for (const resource of plan.resources) {
    if (resource.action === 'replace') {
      findings.push({
        key: 'tf_replace',
        severity: 'destructive',
        message: `Terraform plan deletes and recreates \`${resource.address}\` (replace)`,
        path: resource.address,
      });
    } else if (resource.action === 'delete') {
      findings.push({
        key: 'tf_delete',
        severity: 'destructive',
        message: `Terraform plan deletes \`${resource.address}\``,
        path: resource.address,
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Per file

interface FileContext {
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

function scanFile(file: DiffFile, annotate: boolean, findings: RiskFinding[], planDestroys: ReadonlySet<string>): void {
  const language = file.language;
  if (file.status === 'deleted') {
    if (annotate) clearFlags(file);
    flagDeletedFile(file, annotate, findings);
    return;
  }
  if (file.binary || isDocumentation(language) || file.hunks.length === 0) {
    if (annotate) clearFlags(file);
    return;
  }

  const ctx: FileContext = {
    file,
    annotate,
    findings,
    sql: language === 'sql',
    test: isTestPath(file.path),
    migration: language === 'sql' || MIGRATION_PATH.test(file.path),
    addedGuards: new Set(),
    addedGuardsPerHunk: [],
    addedResources: new Set(),
    movedFrom: new Set(),
    planDestroys,
    downMigrationFile: DOWN_MIGRATION_PATH.test(file.path),
  };
  collectAddedFacts(ctx);
  file.hunks.forEach((hunk, index) => scanHunk(ctx, hunk, index));
}

function clearFlags(file: DiffFile): void {
  if (file.flags) file.flags = undefined;
  for (const hunk of file.hunks) for (const line of hunk.lines) if (line.flags) line.flags = undefined;
}

function flagDeletedFile(file: DiffFile, annotate: boolean, findings: RiskFinding[]): void {
  if (isDocumentation(file.language)) return;
  const infra = isInfrastructureDefinition(file.path);
  const flag: LineFlag = infra
    ? { key: 'deleted_file', severity: 'destructive', message: `Deletes Terraform file \`${file.path}\`: every resource it declares is destroyed on the next apply` }
    : { key: 'deleted_file', severity: 'risky', message: `Deletes \`${file.path}\`${file.deletions > 0 ? ` (${file.deletions} lines)` : ''}` };
  if (annotate) file.flags = [flag];
  findings.push({ ...flag, path: file.path });
}

/** First pass over added lines: what is put back, so deletions that are re-added are not reported. */
function collectAddedFacts(ctx: FileContext): void {
  const terraform = isInfrastructureDefinition(ctx.file.path);
  for (const hunk of ctx.file.hunks) {
    let guards = 0;
    for (const line of hunk.lines) {
      if (ctx.annotate && line.flags) line.flags = undefined;
      if (line.type !== 'add') continue;
      const guard = guardKey(line.content, ctx.test);
      if (guard) {
        ctx.addedGuards.add(guard);
        guards++;
      }
      if (terraform) {
        const address = resourceAddress(line.content);
        if (address) ctx.addedResources.add(address);
        const moved = MOVED_FROM.exec(line.content);
        if (moved?.[1]) ctx.movedFrom.add(moved[1]);
      }
    }
    ctx.addedGuardsPerHunk.push(guards);
  }
}

// ---------------------------------------------------------------------------------------------
// Per hunk

function scanHunk(ctx: FileContext, hunk: DiffHunk, hunkIndex: number): void {
  const lines = hunk.lines;
  let inDown = ctx.downMigrationFile || (ctx.migration && DOWN_FUNCTION.test(hunk.header));
  const terraform = isInfrastructureDefinition(ctx.file.path);

  // Deleted "key: number" values of this hunk, waiting for an added line with the same key.
  let deletedLimits: Map<string, LimitValue[]> | null = null;
  let hasDeletedDryRun = false;
  let hasAddedDryRun = false;
  let deletedProtection: DiffLine[] | null = null;
  let deletedGuards = 0;
  let removedGuards: { line: DiffLine; guard: string }[] | null = null;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const content = scannable(line.content);

    if (ctx.migration && line.type !== 'del') {
      if (DOWN_FUNCTION.test(content)) inDown = true;
      else if (UP_FUNCTION.test(content)) inDown = ctx.downMigrationFile;
    }

    if (line.type === 'add') {
      if (ANY_ADDED_SIGNAL.test(content)) scanAddedLine(ctx, hunk, i, inDown);
      if (content.includes('--dry-run')) hasAddedDryRun = true;
      if (deletedLimits && deletedLimits.size > 0) compareLimit(ctx, line, deletedLimits);
    } else if (line.type === 'del') {
      if (content.includes('--dry-run')) hasDeletedDryRun = true;
      const limit = parseLimit(content);
      if (limit) {
        deletedLimits ??= new Map();
        const queue = deletedLimits.get(limit.key);
        if (queue) queue.push(limit);
        else deletedLimits.set(limit.key, [limit]);
      }
      if (PROTECTION_ON.test(content)) (deletedProtection ??= []).push(line);
      const guard = guardKey(content, ctx.test);
      if (guard) {
        deletedGuards++;
        if (!ctx.addedGuards.has(guard)) (removedGuards ??= []).push({ line, guard });
      }
      if (terraform) scanDeletedResource(ctx, line);
    }
  }

  const addedGuards = ctx.addedGuardsPerHunk[hunkIndex] ?? 0;
  if (removedGuards && deletedGuards > addedGuards) {
    const balance = addedGuards > 0 ? ` (this hunk removes ${deletedGuards} checks and adds ${addedGuards})` : '';
    for (const { line, guard } of removedGuards) {
      const what = ctx.test && TEST_ASSERTION.test(guard) ? 'assertion' : 'check';
      addFlag(ctx, line, 'removed_guard', 'risky', `Removes the ${what} \`${snippet(line.content)}\` without an equivalent added back${balance}`);
    }
  }

  if (hasDeletedDryRun && !hasAddedDryRun) {
    for (const line of lines) {
      if (line.type === 'del' && line.content.includes('--dry-run')) {
        addFlag(ctx, line, 'removed_dry_run', 'risky', `Removes \`--dry-run\` from \`${snippet(line.content)}\`: the command now acts for real`);
      }
    }
  }
  if (deletedProtection) {
    for (const line of deletedProtection) {
      const setting = PROTECTION_ON.exec(line.content)?.[1] ?? 'protection';
      // Re-set on an added line: kept, or turned off there (and flagged there).
      const readded = lines.some((l) => l.type === 'add' && l.content.includes(setting));
      if (!readded) addFlag(ctx, line, 'removed_guard', 'risky', `Removes \`${setting}\`: the resource can now be destroyed`);
    }
  }
  if (ctx.sql) scanSqlStatements(ctx, hunk, inDown);
}

// ---------------------------------------------------------------------------------------------
// Added lines

/** One cheap test per added line; the specific rules below run only when it matches. */
const ANY_ADDED_SIGNAL = /drop|truncate|\bdelete(?:\s|Many|_all|\(\))|\.delete\(|\bupdate\s|alter\s|kubectl|helm\s|terraform\s|\brm\s|destroy|remove_?column|remove_?index|RemoveField|DeleteModel|flush(?:all|db)|deletion_protection|prevent_destroy|skip_final_snapshot|dry_?run|dryRun|auto-approve|git\s+push|\b(?:aws|gcloud|az)\s|\.del\(/i;

const SQL_DROP = /\bdrop\s+(table|database|schema|keyspace|collection|index|view|materialized\s+view|function|procedure|sequence|type|trigger|role|user)\b(?:\s+concurrently)?(?:\s+if\s+exists)?\s+([`"[]?[\w.$-]+)?/i;
const SQL_TRUNCATE = /\btruncate\s+(?:table\s+)?(?:only\s+)?([`"[]?[\w.$-]+)/i;
const SQL_ALTER_DROP = /\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?([`"[]?[\w.$-]+[`"\]]?)\s+(?:.*?\s)?drop\s+(column\s+|constraint\s+|index\s+|primary\s+key|foreign\s+key\s+|partition\s+|default\b)?(?:if\s+exists\s+)?([`"[]?[\w.$-]+)?/i;
const SQL_DELETE = /\bdelete\s+from\s+([`"[]?[\w.$-]+[`"\]]?)/i;
const SQL_UPDATE = /\bupdate\s+(?:only\s+)?([`"[]?[\w.$-]+[`"\]]?)(?:\s+(?:as\s+)?\w+)?\s+set\s/i;
const SQL_WHERE = /\bwhere\b/i;

const MIGRATION_DROP_TABLE = /\b(?:drop_table|dropTable|dropTableIfExists|DeleteModel|dropCollection)\b|Schema::drop(?:IfExists)?\b/;
const MIGRATION_DROP_COLUMN = /\b(?:drop_column|dropColumns?|remove_column|removeColumn|RemoveField)\b/;
const MIGRATION_DROP_INDEX = /\b(?:drop_index|dropIndex|remove_index|removeIndex)\b/;
const ORM_UNBOUNDED_DELETE = /\.objects\.all\(\)\.delete\(\)|\.deleteMany\(\s*(?:\{\s*\})?\s*\)|\.delete_all\b|\.destroy_all\b|\bdb\.delete\(\s*[\w.]+\s*\)\s*;?\s*$/;

const KUBECTL_DELETE = /\bkubectl\s+(?:[^|;&\n]*?\s)?delete\b/;
const HELM_UNINSTALL = /\bhelm\s+(?:[^|;&\n]*?\s)?(?:uninstall|delete|del|un)\s/;
const TERRAFORM_DESTROY = /\bterraform\s+(?:[^|;&\n]*?\s)?(?:destroy\b|apply\b[^|;&\n]*\s-destroy\b)/;
const TERRAFORM_STATE_RM = /\bterraform\s+state\s+rm\b/;
const AUTO_APPROVE = /\bterraform\s+(?:[^|;&\n]*?\s)?(?:apply|destroy)\b[^|;&\n]*-auto-approve\b/;
const RM_RF = /\brm\s+(?:-[a-zA-Z]*(?:r[a-zA-Z]*f|f[a-zA-Z]*r)[a-zA-Z]*\b|-[rR]\s+-f\b|-f\s+-[rR]\b|--recursive\s+--force\b|--force\s+--recursive\b|-rf\b|-fr\b|-Rf\b|-fR\b)/;
const CLOUD_DELETE = /\baws\s+[\w-]+\s+(?:delete-[\w-]+|rb\b|rm\b[^|;&\n]*--recursive)|\bgcloud\s+(?:[\w-]+\s+){1,4}delete\b|\baz\s+(?:[\w-]+\s+){1,4}delete\b/;
const REDIS_FLUSH = /\bflush(?:all|db)\b/i;
const FORCE_PUSH = /\bgit\s+push\b[^|;&\n]*\s(?:--force\b|-f\b)/;

const DELETION_PROTECTION_OFF = /\b(deletion_protection(?:_enabled)?|deletionProtection|termination_protection|disable_api_termination)\b\s*[=:]\s*"?(false|true)"?/i;
const PREVENT_DESTROY_OFF = /\bprevent_destroy\s*=\s*false\b/;
const FORCE_DESTROY_ON = /\b(force_destroy|skip_final_snapshot)\s*=\s*true\b/;
const DRY_RUN_OFF = /\b(dry_?run|dryRun|DRY_RUN)\b\s*[=:]\s*["']?(?:false|0|no|off)\b/i;

function scanAddedLine(ctx: FileContext, hunk: DiffHunk, index: number, inDown: boolean): void {
  const line = hunk.lines[index];
  if (!line) return;
  const content = scannable(line.content);
  const code = ctx.file.language;

  // SQL in a .sql file is read statement by statement (see scanSqlStatements); elsewhere line by line.
  if (!ctx.sql) {
    const drop = SQL_DROP.exec(content);
    if (drop && looksLikeSql(content, drop.index)) flagSqlDrop(ctx, line, drop, inDown);
    const truncate = !drop && SQL_TRUNCATE.exec(content);
    if (truncate && looksLikeSql(content, truncate.index)) {
      addFlag(ctx, line, 'sql_truncate', downgrade('destructive', inDown), `Truncates \`${unquoteIdentifier(truncate[1])}\`: every row is deleted${downNote(inDown)}`);
    }
    const alter = !drop && SQL_ALTER_DROP.exec(content);
    if (alter) flagAlterDrop(ctx, line, alter, inDown);
    if (isCode(code)) scanEmbeddedDml(ctx, hunk, index);
    if (MIGRATION_DROP_TABLE.test(content)) {
      addFlag(ctx, line, 'sql_drop_table', downgrade('destructive', inDown), `Drops a table in a migration (\`${snippet(content)}\`)${downNote(inDown)}`);
    } else if (MIGRATION_DROP_COLUMN.test(content)) {
      addFlag(ctx, line, 'sql_drop_column', downgrade('destructive', inDown), `Drops a column in a migration (\`${snippet(content)}\`)${downNote(inDown)}`);
    } else if (MIGRATION_DROP_INDEX.test(content)) {
      addFlag(ctx, line, 'sql_drop_index', 'risky', `Drops an index in a migration (\`${snippet(content)}\`)`);
    }
    if (ORM_UNBOUNDED_DELETE.test(content) && !nextLinesContain(hunk, index, /^\s*\.where\(/)) {
      addFlag(ctx, line, 'unbounded_delete', 'destructive', `Deletes every row: \`${snippet(content)}\` has no filter`);
    }
  }

  if (KUBECTL_DELETE.test(content)) addFlag(ctx, line, 'kubectl_delete', 'destructive', `Runs \`${commandSnippet(content, 'kubectl')}\``);
  if (HELM_UNINSTALL.test(content)) addFlag(ctx, line, 'helm_uninstall', 'destructive', `Runs \`${commandSnippet(content, 'helm')}\``);
  if (TERRAFORM_DESTROY.test(content)) addFlag(ctx, line, 'terraform_destroy', 'destructive', `Runs \`${commandSnippet(content, 'terraform')}\``);
  else if (TERRAFORM_STATE_RM.test(content)) addFlag(ctx, line, 'terraform_state_rm', 'risky', `Runs \`${commandSnippet(content, 'terraform')}\`: Terraform forgets the resource`);
  if (AUTO_APPROVE.test(content)) addFlag(ctx, line, 'auto_approve', 'risky', `Applies Terraform with \`-auto-approve\`: no human reads the plan`);
  if (RM_RF.test(content)) addFlag(ctx, line, 'rm_rf', 'destructive', `Runs \`${commandSnippet(content, 'rm')}\``);
  if (CLOUD_DELETE.test(content)) addFlag(ctx, line, 'cloud_delete', 'destructive', `Runs \`${snippet(content.trim())}\``);
  if (REDIS_FLUSH.test(content) && /redis|flush(?:all|db)\s*\(|FLUSH(?:ALL|DB)/.test(content)) addFlag(ctx, line, 'cache_flush', 'destructive', `Flushes a Redis database (\`${snippet(content)}\`)`);
  if (FORCE_PUSH.test(content)) addFlag(ctx, line, 'force_push', 'risky', `Force-pushes (\`${snippet(content)}\`): history can be overwritten`);

  const protection = DELETION_PROTECTION_OFF.exec(content);
  if (protection && protection[2]?.toLowerCase() === 'false') {
    addFlag(ctx, line, 'removed_guard', 'risky', `Turns off \`${protection[1]}\`: the resource can now be deleted`);
  }
  if (PREVENT_DESTROY_OFF.test(content)) addFlag(ctx, line, 'removed_guard', 'risky', 'Sets `prevent_destroy = false`: Terraform may now destroy the resource');
  const force = FORCE_DESTROY_ON.exec(content);
  if (force) addFlag(ctx, line, 'force_destroy', 'risky', `Sets \`${force[1]} = true\`: data is lost when the resource is destroyed`);
  if (DRY_RUN_OFF.test(content)) addFlag(ctx, line, 'removed_dry_run', 'risky', `Turns dry-run off (\`${snippet(content)}\`): the job now acts for real`);
}

/** Keywords in prose or identifiers ("drop index cache" in a comment) are not statements; strings and SQL files are. */
function looksLikeSql(content: string, at: number): boolean {
  const before = content.slice(0, at);
  if (/["'`]/.test(before) || /\b(?:execute|exec|query|sql|raw|run)\b/i.test(before)) return true;
  const trimmed = before.trim();
  return trimmed === '' || trimmed.endsWith('(') || trimmed.endsWith('=') || trimmed.endsWith(':');
}

function flagSqlDrop(ctx: FileContext, line: DiffLine, match: RegExpExecArray, inDown: boolean): void {
  const kind = (match[1] ?? '').toLowerCase().replace(/\s+/g, ' ');
  const name = unquoteIdentifier(match[2]);
  const dataLoss = kind === 'table' || kind === 'database' || kind === 'schema' || kind === 'keyspace' || kind === 'collection';
  const key = kind === 'index' ? 'sql_drop_index' : `sql_drop_${kind.replace(' ', '_')}`;
  const what = name ? `${kind} \`${name}\`` : `a ${kind}`;
  addFlag(
    ctx, line, key,
    dataLoss ? downgrade('destructive', inDown) : 'risky',
    `Drops ${what}${dataLoss ? ' and all its data' : ''}${downNote(inDown)}`,
  );
}

function flagAlterDrop(ctx: FileContext, line: DiffLine, match: RegExpExecArray, inDown: boolean): void {
  const table = unquoteIdentifier(match[1]);
  const what = (match[2] ?? '').trim().toLowerCase();
  const name = unquoteIdentifier(match[3]);
  if (what === '' || what === 'column') {
    addFlag(ctx, line, 'sql_drop_column', downgrade('destructive', inDown), `Drops column \`${name ?? '?'}\` from table \`${table}\` and its data${downNote(inDown)}`);
  } else {
    addFlag(ctx, line, 'sql_alter_drop', 'risky', `Drops ${what} ${name ? `\`${name}\` ` : ''}from table \`${table}\``);
  }
}

/** DELETE/UPDATE embedded in code: bounded if a WHERE follows before the statement ends (≤ 6 lines). */
function scanEmbeddedDml(ctx: FileContext, hunk: DiffHunk, index: number): void {
  const line = hunk.lines[index];
  if (!line) return;
  const content = scannable(line.content);
  const del = SQL_DELETE.exec(content);
  const upd = del ? null : SQL_UPDATE.exec(content);
  const match = del ?? upd;
  if (!match || !looksLikeSql(content, match.index)) return;
  const quote = openingQuote(content, match.index);
  if (statementHasWhere(hunk, index, match.index + match[0].length, quote)) return;
  const table = unquoteIdentifier(match[1]);
  addFlag(
    ctx, line, del ? 'sql_unbounded_delete' : 'sql_unbounded_update', 'destructive',
    del ? `Deletes every row of \`${table}\`: DELETE without WHERE` : `Updates every row of \`${table}\`: UPDATE without WHERE`,
  );
}

/** The quote character of the string literal the statement sits in (the last one opened before it), or -1. */
function openingQuote(content: string, at: number): number {
  for (let i = at - 1; i >= 0; i--) {
    const c = content.charCodeAt(i);
    if (c === 34 /* " */ || c === 39 /* ' */ || c === 96 /* ` */) return c;
  }
  return -1;
}

/**
 * Reads the statement from the keyword to its end — a `;`, or the close of its string literal unless
 * the literal is concatenated (`"… " +`) or spans lines — over at most 6 further new-side lines.
 */
function statementHasWhere(hunk: DiffHunk, index: number, from: number, quote: number): boolean {
  let inString = quote !== -1;
  let awaitingReopen = false;
  let seen = 0;
  for (let i = index; i < hunk.lines.length && seen <= 6; i++) {
    const line = hunk.lines[i];
    if (!line || line.type === 'del') continue;
    const text = scannable(line.content);
    let pos = i === index ? from : 0;
    if (i > index) seen++;
    if (awaitingReopen && i > index) {
      const head = text.trimStart();
      if (!(head.startsWith('+') || head.charCodeAt(0) === quote)) return false;
    }
    while (pos < text.length) {
      if (awaitingReopen) {
        const reopen = text.indexOf(String.fromCharCode(quote), pos);
        if (reopen === -1) break;
        awaitingReopen = false;
        inString = true;
        pos = reopen + 1;
        continue;
      }
      const close = inString ? text.indexOf(String.fromCharCode(quote), pos) : -1;
      const semicolon = text.indexOf(';', pos);
      const stop = close === -1 ? semicolon : semicolon === -1 ? close : Math.min(close, semicolon);
      const part = stop === -1 ? text.slice(pos) : text.slice(pos, stop);
      if (SQL_WHERE.test(part)) return true;
      if (stop === -1) break; // the statement continues on the next line
      if (stop === semicolon) return false;
      // The literal closed: the statement goes on only if the literal is concatenated with another.
      const rest = text.slice(close + 1).trimStart();
      if (!(rest.startsWith('+') || rest.startsWith('\\') || rest === '')) return false;
      inString = false;
      awaitingReopen = true;
      pos = close + 1;
    }
  }
  return false;
}

function nextLinesContain(hunk: DiffHunk, index: number, pattern: RegExp): boolean {
  for (let i = index + 1, seen = 0; i < hunk.lines.length && seen < 2; i++) {
    const line = hunk.lines[i];
    if (!line || line.type === 'del') continue;
    seen++;
    if (pattern.test(line.content)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// SQL files: statements may span lines, and the new side of a hunk is context + added lines.

interface SqlStatement {
  text: string;
  /** Indexes into hunk.lines of the new-side lines the statement spans. */
  lineIndexes: number[];
}

function scanSqlStatements(ctx: FileContext, hunk: DiffHunk, inDown: boolean): void {
  const statements: SqlStatement[] = [];
  let current: SqlStatement = { text: '', lineIndexes: [] };
  const lines = hunk.lines;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || line.type === 'del') continue;
    const content = scannable(line.content);
    const comment = content.indexOf('--');
    const code = comment === -1 ? content : content.slice(0, comment);
    const pieces = code.split(';');
    for (let p = 0; p < pieces.length; p++) {
      const piece = pieces[p] ?? '';
      if (piece.trim() !== '' && current.text.length < MAX_SQL_STATEMENT) {
        current.text = current.text ? `${current.text} ${piece.trim()}` : piece.trim();
        if (current.lineIndexes[current.lineIndexes.length - 1] !== i) current.lineIndexes.push(i);
      }
      if (p < pieces.length - 1 && current.text !== '') {
        statements.push(current);
        current = { text: '', lineIndexes: [] };
      }
    }
  }
  // A statement still open at the end of a hunk is judged on what the hunk shows.
  if (current.text !== '') statements.push(current);

  for (const statement of statements) analyzeSqlStatement(ctx, hunk, statement, inDown);
}

function analyzeSqlStatement(ctx: FileContext, hunk: DiffHunk, statement: SqlStatement, inDown: boolean): void {
  if (!ANY_ADDED_SIGNAL.test(statement.text)) return;
  const lines = hunk.lines;
  const added = statement.lineIndexes.filter((i) => lines[i]?.type === 'add');
  const text = statement.text;

  const anchor = (pattern: RegExp): DiffLine | undefined => {
    const index = added.find((i) => pattern.test(scannable(lines[i]?.content ?? ''))) ?? added[0];
    return index === undefined ? undefined : lines[index];
  };

  const alter = SQL_ALTER_DROP.exec(text);
  if (alter) {
    const line = anchor(/\bdrop\b/i);
    if (line) flagAlterDrop(ctx, line, alter, inDown);
    return;
  }
  const drop = SQL_DROP.exec(text);
  if (drop) {
    const line = anchor(/\bdrop\b/i);
    if (line) flagSqlDrop(ctx, line, drop, inDown);
    return;
  }
  const truncate = SQL_TRUNCATE.exec(text);
  if (truncate && /^\s*truncate\b/i.test(text)) {
    const line = anchor(/\btruncate\b/i);
    if (line) addFlag(ctx, line, 'sql_truncate', downgrade('destructive', inDown), `Truncates \`${unquoteIdentifier(truncate[1])}\`: every row is deleted${downNote(inDown)}`);
    return;
  }
  const del = SQL_DELETE.exec(text);
  const upd = del ? null : SQL_UPDATE.exec(text);
  const dml = del ?? upd;
  if (!dml || SQL_WHERE.test(text)) return;
  const table = unquoteIdentifier(dml[1]);
  const message = del ? `Deletes every row of \`${table}\`: DELETE without WHERE` : `Updates every row of \`${table}\`: UPDATE without WHERE`;
  const key = del ? 'sql_unbounded_delete' : 'sql_unbounded_update';
  const line = anchor(del ? /\bdelete\b/i : /\b(?:update|set)\b/i);
  if (line) {
    addFlag(ctx, line, key, 'destructive', message);
    return;
  }
  // No added line: the statement became unbounded because its WHERE line was deleted.
  const first = statement.lineIndexes[0] ?? 0;
  const last = statement.lineIndexes[statement.lineIndexes.length - 1] ?? first;
  for (let i = first; i < lines.length && i <= last + 1; i++) {
    const line = lines[i];
    if (line?.type === 'del' && SQL_WHERE.test(scannable(line.content))) {
      addFlag(ctx, line, 'removed_guard', 'destructive', `Removes the WHERE clause: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Deleted lines: removed guards

const GUARD_START = /^(?:if\b|if\(|guard\b|unless\b|assert|require\s*\(\s*[^'"\s)]|invariant\s*\(|ensure\s*\(|precondition\s*\(|Preconditions\.check|Objects\.requireNonNull|(?:await\s+)?(?:[\w$]+\.)*validate\w*\s*\(|(?:[\w$]+\.)*check[A-Z]\w*\s*\(|if:)/;
const TEST_ASSERTION = /^(?:(?:await\s+)?expect\s*\(|assert|t\.(?:Error|Fatal)|self\.assert|should\b)/;
const GUARD_AT = new RegExp(GUARD_START.source.slice(1), 'y');
const TEST_ASSERTION_AT = new RegExp(TEST_ASSERTION.source.slice(1), 'y');
const PROTECTION_ON = /\b(prevent_destroy|deletion_protection(?:_enabled)?|deletionProtection|termination_protection)\b\s*[=:]\s*"?true"?/;
const RESOURCE_DECLARATION = /^\s*resource\s+"([\w-]+)"\s+"([\w-]+)"/;
const MOVED_FROM = /^\s*from\s*=\s*([\w.[\]"-]+)/;
const DOWN_FUNCTION = /(?:^|\s)(?:def\s+(?:down|downgrade)\b|(?:public\s+)?(?:async\s+)?function\s+down\s*\(|exports\.down\s*=|(?:async\s+)?down\s*\(|down:\s*(?:async\s*)?(?:function|\())/;
const UP_FUNCTION = /(?:^|\s)(?:def\s+(?:up|upgrade|change)\b|(?:public\s+)?(?:async\s+)?function\s+up\s*\(|exports\.up\s*=|(?:async\s+)?up\s*\(|up:\s*(?:async\s*)?(?:function|\())/;
const MIGRATION_PATH = /migrat|alembic|\/versions\/|flyway|liquibase/i;
const DOWN_MIGRATION_PATH = /(?:^|[/._-])down(?:\.sql$|[/._-])|(?:^|\/)rollback[/._-]/i;

function scanDeletedResource(ctx: FileContext, line: DiffLine): void {
  const address = resourceAddress(line.content);
  if (address && !ctx.addedResources.has(address) && !ctx.movedFrom.has(address)) {
    const record = !ctx.planDestroys.has(address);
    addFlag(ctx, line, 'tf_resource_removed', 'destructive', `Removes Terraform resource \`${address}\`: it is destroyed on the next apply`, record);
  }
}

/** A line's guard condition, normalised so `} else if (x) {` and `if (x)` compare equal. */
function guardKey(raw: string, test: boolean): string | null {
  const content = scannable(raw);
  let start = 0;
  const length = content.length;
  while (start < length) {
    const c = content.charCodeAt(start);
    if (c === 32 || c === 9 || c === 125 /* } */) start++;
    else break;
  }
  if (start >= length) return null;
  let prefix = '';
  if (content.startsWith('else ', start)) {
    start += 5;
    while (start < length && content.charCodeAt(start) === 32) start++;
  } else if (content.startsWith('elif ', start)) {
    start += 5;
    prefix = 'if ';
  }
  // Sticky regexes test in place: most lines are rejected without allocating a substring.
  GUARD_AT.lastIndex = start;
  let guard = GUARD_AT.test(content);
  if (!guard && test) {
    TEST_ASSERTION_AT.lastIndex = start;
    guard = TEST_ASSERTION_AT.test(content);
  }
  if (!guard) return null;
  return (prefix + content.slice(start)).replace(/\s*[{:]\s*$/, '').replace(/\s+/g, ' ');
}

function resourceAddress(content: string): string | null {
  const match = RESOURCE_DECLARATION.exec(scannable(content));
  return match ? `${match[1]}.${match[2]}` : null;
}

// ---------------------------------------------------------------------------------------------
// Lowered limits: a deleted `key: value` and an added one with the same key in the same hunk.

interface LimitValue {
  key: string;
  raw: string;
  value: number;
  unit: 'duration' | 'bytes' | 'count';
}

const LIMIT_LINE = /^\s*(?:-\s+)?(?:(?:export|const|let|var|val|final|static|readonly|private|public|protected|internal)\s+)*(?:(?:int|long|short|float|double|Integer|Long|Duration|number|uint\d*|int\d*|usize|u\d+|i\d+)\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*(?::\s*[A-Za-z]+\s*)?[:=]\s*(?:([A-Za-z_][\w.]*)\(\s*)?["']?(\d+(?:[._]\d+)*)\s*(ms|s|sec|secs|seconds|m|min|mins|minutes|h|hr|hours|d|days|ki|mi|gi|k|kb|m|mb|g|gb|%)?["']?\s*\)?\s*[,;]?\s*(?:(?:#|\/\/).*)?$/i;
const LIMIT_KEY = /timeout|deadline|limit|max|min_?(?:replicas|size|capacity|count|instances|available|healthy)|minReplicas|minAvailable|replica|retr(?:y|ies)|attempt|capacity|pool|connections|concurren|workers|instances|desired_?count|grace|burst|quota|threads|budget/i;
const SCALE_KEY = /replica|desired_?count|min_?size|instances|min_?capacity/i;
const INVERTED_KEY = /unavailable|surge/i;

/** `Duration.ofMillis(400)`, `TimeUnit.SECONDS.toMillis(30)`, `time.Duration(5)`… → the unit the call implies. */
const WRAPPER_UNIT: [RegExp, string][] = [
  [/millis/i, 'ms'], [/seconds?$/i, 's'], [/minutes?$/i, 'm'], [/hours?$/i, 'h'], [/days?$/i, 'd'],
];

const DURATION_MS: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, secs: 1000, seconds: 1000, m: 60_000, min: 60_000, mins: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hours: 3_600_000, d: 86_400_000, days: 86_400_000,
};
const BYTES: Record<string, number> = { k: 1e3, kb: 1e3, ki: 1024, mb: 1e6, mi: 1024 ** 2, g: 1e9, gb: 1e9, gi: 1024 ** 3 };

function parseLimit(content: string): LimitValue | null {
  if (content.length > 200) return null;
  const match = LIMIT_LINE.exec(content);
  if (!match) return null;
  const key = match[1] ?? '';
  if (!LIMIT_KEY.test(key)) return null;
  const digits = (match[3] ?? '').replace(/_/g, '');
  const number = Number.parseFloat(digits);
  if (!Number.isFinite(number)) return null;
  const wrapper = match[2];
  let suffix = (match[4] ?? '').toLowerCase();
  if (wrapper && suffix === '') suffix = WRAPPER_UNIT.find(([pattern]) => pattern.test(wrapper))?.[1] ?? '';
  const raw = wrapper ? `${wrapper}(${match[3]})` : `${match[3]}${match[4] ?? ''}`;
  if (suffix === '' || suffix === '%') return { key, raw, value: number, unit: 'count' };
  const ms = DURATION_MS[suffix];
  if (ms !== undefined && !(suffix === 'm' && /mem|size|bytes/i.test(key))) return { key, raw, value: number * ms, unit: 'duration' };
  const bytes = BYTES[suffix];
  if (bytes !== undefined) return { key, raw, value: number * bytes, unit: 'bytes' };
  return null;
}

function compareLimit(ctx: FileContext, line: DiffLine, deleted: Map<string, LimitValue[]>): void {
  const added = parseLimit(line.content);
  if (!added) return;
  const queue = deleted.get(added.key);
  const before = queue?.shift();
  if (!before || before.unit !== added.unit) return;
  const inverted = INVERTED_KEY.test(added.key);
  const worse = inverted ? added.value > before.value : added.value < before.value;
  if (!worse) return;
  if (!inverted && added.value === 0 && SCALE_KEY.test(added.key)) {
    addFlag(ctx, line, 'scaled_to_zero', 'destructive', `Scales \`${added.key}\` from ${before.raw} to 0: nothing is left running`);
    return;
  }
  addFlag(
    ctx, line, 'lowered_limit', 'risky',
    `${inverted ? 'Raises' : 'Lowers'} \`${added.key}\` from ${before.raw} to ${added.raw}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** Flags the line (when annotating) and records a finding, unless `record` is false (already counted elsewhere). */
function addFlag(ctx: FileContext, line: DiffLine, key: string, severity: Severity, message: string, record = true): void {
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

function downgrade(severity: Severity, inDown: boolean): Severity {
  return inDown ? 'risky' : severity;
}

function downNote(inDown: boolean): string {
  return inDown ? ' (in a down/rollback migration)' : '';
}

function unquoteIdentifier(raw: string | undefined): string {
  if (!raw) return '?';
  return raw.replace(/^[`"[]|[`"\]]$/g, '');
}

function snippet(content: string, max = 80): string {
  const text = content.slice(0, max * 4).trim().replace(/`/g, "'").replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The command itself, from its program name, without the surrounding code. */
function commandSnippet(content: string, program: string): string {
  const at = content.indexOf(program);
  return snippet(at === -1 ? content : content.slice(at).replace(/["'`),;]+\s*$/, ''));
}

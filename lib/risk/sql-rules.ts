// SQL rules: DROP/TRUNCATE/ALTER … DROP, DELETE/UPDATE without WHERE (statements may span lines,
// in .sql files and in string literals in code), ORM migration helpers, and down-migration context.
import {
  addFlag, downgrade, downNote, type FileContext, MAX_SQL_STATEMENT, scannable, snippet, unquoteIdentifier,
} from './flag-context';
import { isCode } from './language';
import type { DiffHunk, DiffLine } from './types';

const SQL_DROP = /\bdrop\s+(table|database|schema|keyspace|collection|index|view|materialized\s+view|function|procedure|sequence|type|trigger|role|user)\b(?:\s+concurrently)?(?:\s+if\s+exists)?\s+([`"[]?[\w.$-]+)?/i;
const SQL_TRUNCATE = /\btruncate\s+(?:table\s+)?(?:only\s+)?([`"[]?[\w.$-]+)/i;
/**
 * `ALTER TABLE t … DROP [COLUMN|CONSTRAINT|…] [IF EXISTS] name`. Read as a prefix, then the first
 * ` drop` after it: one regex `…\s+(?:.*?\s)?drop…` backtracks quadratically on a statement that
 * repeats `alter table x`. Groups as before: 1 table, 2 what is dropped, 3 its name.
 */
const ALTER_TABLE_PREFIX = /\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?([`"[]?[\w.$-]+[`"\]]?)\s/i;
const ALTER_DROP_TAIL = /\sdrop\s+(column\s+|constraint\s+|index\s+|primary\s+key|foreign\s+key\s+|partition\s+|default\b)?(?:if\s+exists\s+)?([`"[]?[\w.$-]+)?/i;
const SQL_ALTER_DROP = {
  exec(text: string): RegExpExecArray | null {
    const prefix = ALTER_TABLE_PREFIX.exec(text);
    if (!prefix) return null;
    const from = prefix.index + prefix[0].length - 1; // the whitespace after the table name
    const tail = ALTER_DROP_TAIL.exec(text.slice(from));
    if (!tail) return null;
    const match = [text.slice(prefix.index, from + tail.index + tail[0].length), prefix[1], tail[1], tail[2]] as unknown as RegExpExecArray;
    match.index = prefix.index;
    match.input = text;
    return match;
  },
};
const SQL_DELETE = /\bdelete\s+from\s+([`"[]?[\w.$-]+[`"\]]?)/i;
const SQL_UPDATE = /\bupdate\s+(?:only\s+)?([`"[]?[\w.$-]+[`"\]]?)(?:\s+(?:as\s+)?\w+)?\s+set\s/i;
const SQL_WHERE = /\bwhere\b/i;

const MIGRATION_DROP_TABLE = /\b(?:drop_table|dropTable|dropTableIfExists|DeleteModel|dropCollection)\b|Schema::drop(?:IfExists)?\b/;
const MIGRATION_DROP_COLUMN = /\b(?:drop_column|dropColumns?|remove_column|removeColumn|RemoveField)\b/;
const MIGRATION_DROP_INDEX = /\b(?:drop_index|dropIndex|remove_index|removeIndex)\b/;
// No two `\s*` side by side around an optional part: `\(\s*(?:\{\s*\})?\s*\)` and `\)\s*;?\s*$` backtrack
// quadratically on a run of spaces that does not end the way they hope.
const ORM_UNBOUNDED_DELETE = /\.objects\.all\(\)\.delete\(\)|\.deleteMany\(\s*(?:\{\s*\}\s*)?\)|\.delete_all\b|\.destroy_all\b|\bdb\.delete\(\s*[\w.]+\s*\)\s*(?:;\s*)?$/;

/** Cheap test before a statement is read in detail. */
const SQL_SIGNAL = /drop|truncate|delete|update|alter/i;

/** Migration structure: a DROP in a `down`/rollback section only undoes the same migration's CREATE. */
export const DOWN_FUNCTION = /(?:^|\s)(?:def\s+(?:down|downgrade)\b|(?:public\s+)?(?:async\s+)?function\s+down\s*\(|exports\.down\s*=|(?:async\s+)?down\s*\(|down:\s*(?:async\s*)?(?:function|\())/;
export const UP_FUNCTION = /(?:^|\s)(?:def\s+(?:up|upgrade|change)\b|(?:public\s+)?(?:async\s+)?function\s+up\s*\(|exports\.up\s*=|(?:async\s+)?up\s*\(|up:\s*(?:async\s*)?(?:function|\())/;
export const MIGRATION_PATH = /migrat|alembic|\/versions\/|flyway|liquibase/i;
export const DOWN_MIGRATION_PATH = /(?:^|[/._-])down(?:\.sql$|[/._-])|(?:^|\/)rollback[/._-]/i;

/** SQL outside .sql files (strings in code, shell, YAML) and ORM migration helpers, one added line at a time. */
export function scanAddedSqlLine(ctx: FileContext, hunk: DiffHunk, index: number, content: string, inDown: boolean): void {
  const line = hunk.lines[index];
  if (!line) return;
  const drop = SQL_DROP.exec(content);
  if (drop && looksLikeSql(content, drop.index)) flagSqlDrop(ctx, line, drop, inDown);
  const truncate = !drop && SQL_TRUNCATE.exec(content);
  if (truncate && looksLikeSql(content, truncate.index)) {
    addFlag(ctx, line, 'sql_truncate', downgrade('destructive', inDown), `Truncates \`${unquoteIdentifier(truncate[1])}\`: every row is deleted${downNote(inDown)}`);
  }
  const alter = !drop && SQL_ALTER_DROP.exec(content);
  if (alter) flagAlterDrop(ctx, line, alter, inDown);
  if (isCode(ctx.file.language)) scanEmbeddedDml(ctx, hunk, index);
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

interface SqlStatement {
  text: string;
  /** Indexes into hunk.lines of the new-side lines the statement spans. */
  lineIndexes: number[];
}

export function scanSqlStatements(ctx: FileContext, hunk: DiffHunk, inDown: boolean): void {
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
  if (!SQL_SIGNAL.test(statement.text)) return;
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

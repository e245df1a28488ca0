// "Is this environment production?" — one definition for TypeScript and SQL. A listed name, or
// one qualified by - _ . / : (`prod-eu-west-1`, `production/us`), case-insensitive, surrounding
// blanks ignored: an unlisted spelling of production must never slip past a rule as "not production".
import { sql, type SQL } from 'drizzle-orm';

/** The POSIX/ECMAScript regular expression both sides match the lower-cased, trimmed name against. */
export function productionPattern(names: readonly string[]): string {
  if (!names.length) return '$^';
  const escaped = names.map((n) => n.trim().toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(${escaped.join('|')})([-_./:].*)?$`;
}

export function matchesProduction(environment: string, names: readonly string[]): boolean {
  return new RegExp(productionPattern(names), 's').test(environment.trim().toLowerCase());
}

/** The same test on a column or expression; `(?s)`-free: Postgres' `.` already matches newlines. */
export function matchesProductionSql(column: SQL, names: readonly string[]): SQL {
  return sql`(lower(btrim(${column})) ~ ${productionPattern(names)})`;
}

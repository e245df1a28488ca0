// Guard rules: checks, assertions and protections that a change removes without putting back, and
// Terraform resources whose declaration disappears (destroyed on the next apply unless `moved`).
import { addFlag, type FileContext, scannable, trimTrailing } from './flag-context';
import type { DiffLine } from './types';

const GUARD_START = /^(?:if\b|if\(|guard\b|unless\b|assert|require\s*\(\s*[^'"\s)]|invariant\s*\(|ensure\s*\(|precondition\s*\(|Preconditions\.check|Objects\.requireNonNull|(?:await\s+)?(?:[\w$]+\.)*validate\w*\s*\(|(?:[\w$]+\.)*check[A-Z]\w*\s*\(|if:)/;
export const TEST_ASSERTION = /^(?:(?:await\s+)?expect\s*\(|assert|t\.(?:Error|Fatal)|self\.assert|should\b)/;
const GUARD_AT = new RegExp(GUARD_START.source.slice(1), 'y');
const TEST_ASSERTION_AT = new RegExp(TEST_ASSERTION.source.slice(1), 'y');
export const PROTECTION_ON = /\b(prevent_destroy|deletion_protection(?:_enabled)?|deletionProtection|termination_protection)\b\s*[=:]\s*"?true"?/;
const RESOURCE_DECLARATION = /^\s*resource\s+"([\w-]+)"\s+"([\w-]+)"/;
export const MOVED_FROM = /^\s*from\s*=\s*([\w.[\]"-]+)/;

export function scanDeletedResource(ctx: FileContext, line: DiffLine): void {
  const address = resourceAddress(line.content);
  if (address && !ctx.addedResources.has(address) && !ctx.movedFrom.has(address)) {
    const record = !ctx.planDestroys.has(address);
    addFlag(ctx, line, 'tf_resource_removed', 'destructive', `Removes Terraform resource \`${address}\`: it is destroyed on the next apply`, record);
  }
}

/** A line's guard condition, normalised so `} else if (x) {` and `if (x)` compare equal. */
export function guardKey(raw: string, test: boolean): string | null {
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
  return trimTrailing(prefix + content.slice(start), '{:', true).replace(/\s+/g, ' ');
}

export function resourceAddress(content: string): string | null {
  const match = RESOURCE_DECLARATION.exec(scannable(content));
  return match ? `${match[1]}.${match[2]}` : null;
}

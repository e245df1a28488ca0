// Finds what can destroy data or remove a safety net — Terraform delete/replace, DROP/TRUNCATE,
// unbounded DELETE/UPDATE, kubectl/helm/terraform destroy, rm -rf, deleted files, removed guards,
// lowered limits — and marks the exact lines so the diff view can flag them. Only added lines are
// flagged, except for removed guards, which live on deleted lines. One pass per hunk, with a cheap
// prefilter so that ordinary code lines cost a single regex test.
import {
  addFlag, commandSnippet, type FileContext, scannable, type Severity, snippet,
} from './flag-context';
import {
  guardKey, MOVED_FROM, PROTECTION_ON, resourceAddress, scanDeletedResource, TEST_ASSERTION,
} from './guard-rules';
import { type AnalysisBudget, UNLIMITED } from './budget';
import { isDocumentation, isInfrastructureDefinition, isTestPath } from './language';
import { compareLimit, type LimitValue, parseLimit } from './limit-rules';
import {
  DOWN_FUNCTION, DOWN_MIGRATION_PATH, MIGRATION_PATH, scanAddedSqlLine, scanSqlStatements, UP_FUNCTION,
} from './sql-rules';
import type {
  DiffFile, DiffHunk, DiffLine, LineFlag, RiskFinding, TerraformPlanSummary,
} from './types';

export interface DetectOptions {
  /** Write LineFlag arrays onto the lines and files (default true); false keeps the input untouched. */
  annotate?: boolean;
  /** Time budget; when it runs out, detection throws AnalysisBudgetExceeded (the caller fails closed). */
  budget?: AnalysisBudget;
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
  const budget = options.budget ?? UNLIMITED;
  for (const file of files) {
    budget.tick();
    scanFile(file, annotate, findings, planDestroys, budget);
  }
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

function scanFile(file: DiffFile, annotate: boolean, findings: RiskFinding[], planDestroys: ReadonlySet<string>, budget: AnalysisBudget): void {
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
  file.hunks.forEach((hunk, index) => scanHunk(ctx, hunk, index, budget));
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

function scanHunk(ctx: FileContext, hunk: DiffHunk, hunkIndex: number, budget: AnalysisBudget): void {
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
    budget.tick();
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

// Commands: a program, then (in the same shell command: no | ; & or newline in between) an argument.
// Written as "program, then a later word", found with two linear searches per command segment,
// never as `program\s+(?:[^|;&\n]*?\s)?word` — that backtracks quadratically (cubically for
// `apply … -destroy`) on a line that repeats the program name.
const KUBECTL_DELETE = commandRule(/\bkubectl\s/, /\sdelete\b/);
const HELM_UNINSTALL = commandRule(/\bhelm\s/, /\s(?:uninstall|delete|del|un)\s/);
const TERRAFORM_DESTROY = commandRule(/\bterraform\s/, /\sdestroy\b/, [/\sapply\b/, /\s-destroy\b/]);
const TERRAFORM_STATE_RM = /\bterraform\s+state\s+rm\b/;
const AUTO_APPROVE = commandRule(/\bterraform\s/, [/\s(?:apply|destroy)\b/, /-auto-approve\b/]);
const RM_RF = /\brm\s+(?:-[a-zA-Z]*(?:r[a-zA-Z]*f|f[a-zA-Z]*r)[a-zA-Z]*\b|-[rR]\s+-f\b|-f\s+-[rR]\b|--recursive\s+--force\b|--force\s+--recursive\b|-rf\b|-fr\b|-Rf\b|-fR\b)/;
const CLOUD_DELETE_NOW = /\baws\s+[\w-]+\s+(?:delete-[\w-]+|rb\b)|\bgcloud\s+(?:[\w-]+\s+){1,4}delete\b|\baz\s+(?:[\w-]+\s+){1,4}delete\b/;
const AWS_RM_RECURSIVE = commandRule(/\baws\s+[\w-]+\s+rm\b/, /--recursive/);
const CLOUD_DELETE = { test: (content: string) => CLOUD_DELETE_NOW.test(content) || AWS_RM_RECURSIVE.test(content) };
const REDIS_FLUSH = /\bflush(?:all|db)\b/i;
const FORCE_PUSH = commandRule(/\bgit\s+push\b/, /\s(?:--force\b|-f\b)/);

const DELETION_PROTECTION_OFF = /\b(deletion_protection(?:_enabled)?|deletionProtection|termination_protection|disable_api_termination)\b\s*[=:]\s*"?(false|true)"?/i;
const PREVENT_DESTROY_OFF = /\bprevent_destroy\s*=\s*false\b/;
const FORCE_DESTROY_ON = /\b(force_destroy|skip_final_snapshot)\s*=\s*true\b/;
const DRY_RUN_OFF = /\b(dry_?run|dryRun|DRY_RUN)\b\s*[=:]\s*["']?(?:false|0|no|off)\b/i;

function scanAddedLine(ctx: FileContext, hunk: DiffHunk, index: number, inDown: boolean): void {
  const line = hunk.lines[index];
  if (!line) return;
  const content = scannable(line.content);

  // SQL in a .sql file is read statement by statement (see scanSqlStatements); elsewhere line by line.
  if (!ctx.sql) scanAddedSqlLine(ctx, hunk, index, content, inDown);

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

// ---------------------------------------------------------------------------------------------
// Command rules in linear time

type Step = RegExp | readonly RegExp[];

/**
 * A command rule: in one shell command segment (split at | ; & and newlines), the first match of
 * `program`, then any one of `alternatives` after it — each alternative a single regex, or a
 * sequence of regexes each searched after the previous match. Only the first occurrence of each step
 * matters (a later one has less text after it), so every search runs once: linear in the line.
 * The step regexes are simple (no nested or adjacent unbounded quantifiers).
 */
export function commandRule(program: RegExp, ...alternatives: Step[]): { test(content: string): boolean } {
  const sequences = alternatives.map((a) => (Array.isArray(a) ? a : [a]) as readonly RegExp[]);
  return {
    test(content: string): boolean {
      for (const segment of content.split(/[|;&\n]/)) {
        const m = program.exec(segment);
        if (!m) continue;
        // Keep the program's last character: steps may start with the whitespace that follows it.
        const rest = segment.slice(m.index + m[0].length - 1);
        if (sequences.some((seq) => followsInOrder(rest, seq))) return true;
      }
      return false;
    },
  };
}

function followsInOrder(text: string, sequence: readonly RegExp[]): boolean {
  let from = 0;
  for (const step of sequence) {
    const m = step.exec(from === 0 ? text : text.slice(from));
    if (!m) return false;
    from += m.index + m[0].length;
  }
  return true;
}

// Builds unified diffs whose hunk headers are computed from their lines, so every
// diff the seed emits is valid (git-style headers, correct @@ counts), and Terraform plan JSON.
import type { TerraformPlanJson } from '../types';
import { hash32 } from './random';

export interface HunkSpec {
  oldStart: number;
  /** Text after the second @@ (the enclosing function or section), optional. */
  section: string;
  /** Each line starts with ' ', '+' or '-'. */
  lines: string[];
}

export interface FileSpec {
  path: string;
  status: 'modified' | 'added' | 'deleted';
  hunks: HunkSpec[];
  mode?: string;
}

/**
 * A hunk from a block of text: every line starts with its prefix (' ', '+', '-');
 * a completely empty line is an empty context line. A leading and trailing newline are ignored.
 */
export function hunk(oldStart: number, section: string, body: string): HunkSpec {
  const raw = body.replace(/^\n/, '').replace(/\n$/, '').split('\n');
  const lines = raw.map((l) => (l === '' ? ' ' : l));
  for (const l of lines) {
    const p = l[0];
    if (p !== ' ' && p !== '+' && p !== '-') throw new Error(`diff line without a prefix: ${JSON.stringify(l)}`);
  }
  return { oldStart, section, lines };
}

/** A hunk from separate arrays: context before, removed, added, context after. */
export function hunkOf(oldStart: number, section: string, before: string[], removed: string[], added: string[], after: string[] = []): HunkSpec {
  return {
    oldStart,
    section,
    lines: [...before.map((l) => ` ${l}`), ...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`), ...after.map((l) => ` ${l}`)],
  };
}

export function modified(path: string, ...hunks: HunkSpec[]): FileSpec {
  return { path, status: 'modified', hunks };
}

export function added(path: string, content: string, mode = '100644'): FileSpec {
  const lines = content.replace(/^\n/, '').replace(/\n$/, '').split('\n').map((l) => `+${l}`);
  return { path, status: 'added', mode, hunks: [{ oldStart: 0, section: '', lines }] };
}

export function deleted(path: string, content: string): FileSpec {
  const lines = content.replace(/^\n/, '').replace(/\n$/, '').split('\n').map((l) => `-${l}`);
  return { path, status: 'deleted', hunks: [{ oldStart: 1, section: '', lines }] };
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

function shortSha(...parts: string[]): string {
  return (hash32(...parts).toString(16).padStart(8, '0') + hash32('x', ...parts).toString(16).padStart(8, '0')).slice(0, 7);
}

export function renderFile(file: FileSpec): string {
  const body = file.hunks.map((h) => h.lines.join('\n')).join('\n');
  const before = shortSha(file.path, 'before', body);
  const after = shortSha(file.path, 'after', body);
  const out = [`diff --git a/${file.path} b/${file.path}`];
  if (file.status === 'added') {
    out.push(`new file mode ${file.mode ?? '100644'}`, `index 0000000..${after}`, '--- /dev/null', `+++ b/${file.path}`);
  } else if (file.status === 'deleted') {
    out.push('deleted file mode 100644', `index ${before}..0000000`, `--- a/${file.path}`, '+++ /dev/null');
  } else {
    out.push(`index ${before}..${after} ${file.mode ?? '100644'}`, `--- a/${file.path}`, `+++ b/${file.path}`);
  }
  let delta = 0;
  for (const h of file.hunks) {
    const oldLines = h.lines.filter((l) => l[0] !== '+').length;
    const newLines = h.lines.filter((l) => l[0] !== '-').length;
    let newStart: number;
    if (newLines === 0) newStart = Math.max(0, h.oldStart + delta - 1);
    else if (oldLines === 0) newStart = h.oldStart + delta + 1;
    else newStart = h.oldStart + delta;
    const oldStart = oldLines === 0 && file.status === 'added' ? 0 : h.oldStart;
    out.push(`@@ -${range(oldStart, oldLines)} +${range(newStart, newLines)} @@${h.section ? ` ${h.section}` : ''}`);
    out.push(...h.lines);
    delta += newLines - oldLines;
  }
  return out.join('\n');
}

export function renderDiff(files: FileSpec[]): string {
  return `${files.map(renderFile).join('\n')}\n`;
}

/** Lines added and removed by a set of files. */
export function countLines(files: FileSpec[]): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const f of files) for (const h of f.hunks) for (const l of h.lines) {
    if (l[0] === '+') additions++;
    else if (l[0] === '-') deletions++;
  }
  return { additions, deletions };
}

export type PlanAction = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op';

export interface PlanResource {
  type: string;
  name: string;
  module?: string;
  action: PlanAction;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Attributes that force replacement, for a replace. */
  replacePaths?: string[];
  provider?: string;
}

const ACTIONS: Record<PlanAction, TerraformPlanJson['resource_changes'][number]['change']['actions']> = {
  create: ['create'],
  update: ['update'],
  delete: ['delete'],
  replace: ['delete', 'create'],
  read: ['read'],
  'no-op': ['no-op'],
};

/** `terraform show -json` output for a plan with the given resource changes. */
export function terraformPlan(resources: PlanResource[]): TerraformPlanJson {
  return {
    format_version: '1.2',
    terraform_version: '1.9.5',
    resource_changes: resources.map((r) => {
      const address = `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}`;
      // `this[0]`: terraform reports the bare name and the count index separately.
      const indexed = /^(.*)\[(\d+)\]$/.exec(r.name);
      const before = r.action === 'create' ? null : (r.before ?? {});
      const after = r.action === 'delete' ? null : (r.after ?? {});
      return {
        address,
        ...(r.module ? { module_address: r.module } : {}),
        mode: r.action === 'read' ? 'data' : 'managed',
        type: r.type,
        name: indexed?.[1] ?? r.name,
        ...(indexed ? { index: Number(indexed[2]) } : {}),
        provider_name: r.provider ?? 'registry.terraform.io/hashicorp/aws',
        change: {
          actions: ACTIONS[r.action],
          before,
          after,
          ...(r.action === 'replace' ? { replace_paths: (r.replacePaths ?? []).map((p) => [p]) } : {}),
        },
        ...(r.action === 'replace' ? { action_reason: 'replace_because_cannot_update' } : {}),
        ...(r.action === 'delete' ? { action_reason: 'delete_because_no_resource_config' } : {}),
      };
    }),
  };
}

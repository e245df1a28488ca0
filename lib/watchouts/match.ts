// Which watch-outs — institutional memory written by senior engineers — apply to a change, and why.
// Pure: the caller supplies the change's services, their direct neighbours in the dependency graph,
// its changed paths and lines. A service watch-out surfaces on changes to that service and to its
// direct dependents and dependencies; a path glob on any changed path (old or new name); a config key
// on any added or deleted line that sets it (flat `a.b.c: 1`, `A_B_C=1`, or nested YAML/JSON/TOML).
import type { WatchoutScope } from '@/db/schema/enums';
import { compilePathGlob } from '@/lib/glob/glob';
import type { DiffFile, DiffHunk } from '@/lib/risk/types';

export interface WatchoutRecord {
  id: number;
  scope: WatchoutScope;
  /** The service a 'service' watch-out is about; for path and config-key watch-outs, an optional restriction. */
  service: string | null;
  pattern: string | null;
  text: string;
  author: { handle: string; name: string };
  createdAt: Date | string;
}

export interface NeighbourService {
  slug: string;
  /** 'dependent': it depends on `of`; 'dependency': `of` depends on it. */
  relation: 'dependent' | 'dependency';
  /** The touched service it neighbours. */
  of: string;
}

export interface WatchoutMatchContext {
  touched: readonly string[];
  neighbours: readonly NeighbourService[];
  files: readonly Pick<DiffFile, 'path' | 'oldPath' | 'hunks' | 'language'>[];
}

export interface WatchoutMatch {
  watchout: WatchoutRecord;
  /** One sentence: why it surfaced on this change. */
  reason: string;
  /** 'direct': the change touches what it is about; 'neighbour': a service next to it. */
  strength: 'direct' | 'neighbour';
  /** Where it matched: file paths, with a line number for config keys. */
  locations: { path: string; line?: number }[];
}

export function matchWatchouts(watchouts: readonly WatchoutRecord[], ctx: WatchoutMatchContext): WatchoutMatch[] {
  const touched = new Set(ctx.touched);
  // A hub has a thousand neighbours: look them up by slug, not by scanning the list per watch-out.
  const neighbours = new Map<string, NeighbourService[]>();
  for (const n of ctx.neighbours) {
    const list = neighbours.get(n.slug);
    if (list) list.push(n);
    else neighbours.set(n.slug, [n]);
  }
  const out: WatchoutMatch[] = [];
  let keyIndex: ConfigKeyIndex | null = null;
  for (const w of watchouts) {
    if (w.scope === 'service') {
      const m = matchService(w, touched, neighbours);
      if (m) out.push(m);
      continue;
    }
    if (!w.pattern) continue;
    // A path or key watch-out tied to a service only applies to changes of that service.
    if (w.service && !touched.has(w.service)) continue;
    if (w.scope === 'path') {
      const matcher = compileGlob(w.pattern);
      if (!matcher) continue;
      const hits = ctx.files.filter((f) => matcher(f.path) || (f.oldPath !== null && matcher(f.oldPath)));
      if (hits.length) {
        out.push({
          watchout: w,
          reason: `Path \`${w.pattern}\` matches ${plural(hits.length, 'changed file')}: ${listPaths(hits.map((f) => f.path))}`,
          strength: 'direct',
          locations: hits.map((f) => ({ path: f.path })),
        });
      }
    } else if (w.scope === 'config_key') {
      keyIndex ??= indexConfigLines(ctx.files);
      const hits = findConfigKey(keyIndex, w.pattern);
      if (hits.length) {
        const first = hits[0]!;
        out.push({
          watchout: w,
          reason: `Changes config key \`${w.pattern}\` in ${first.path}${first.line ? ` (line ${first.line})` : ''}${hits.length > 1 ? ` and ${plural(hits.length - 1, 'more place')}` : ''}`,
          strength: 'direct',
          locations: hits.map((h) => ({ path: h.path, line: h.line })),
        });
      }
    }
  }
  // Direct matches first, then newest first: the freshest memory is the likeliest to still be true.
  return out.sort((a, b) => (a.strength === b.strength ? 0 : a.strength === 'direct' ? -1 : 1)
    || new Date(b.watchout.createdAt).getTime() - new Date(a.watchout.createdAt).getTime()
    || b.watchout.id - a.watchout.id);
}

function matchService(w: WatchoutRecord, touched: ReadonlySet<string>, neighbours: ReadonlyMap<string, NeighbourService[]>): WatchoutMatch | null {
  if (!w.service) return null;
  if (touched.has(w.service)) {
    return { watchout: w, reason: `This change touches ${w.service}`, strength: 'direct', locations: [] };
  }
  const near = neighbours.get(w.service);
  if (!near?.length) return null;
  const dependent = near.find((n) => n.relation === 'dependent');
  const n = dependent ?? near[0]!;
  const reason = n.relation === 'dependent'
    ? `${w.service} depends directly on ${n.of}, which this change touches`
    : `${n.of}, which this change touches, depends directly on ${w.service}`;
  return { watchout: w, reason, strength: 'neighbour', locations: [] };
}

const globCache = new Map<string, ((path: string) => boolean) | null>();

/** A compiled glob, or null when the pattern cannot be compiled (it never matches then). */
export function compileGlob(pattern: string): ((path: string) => boolean) | null {
  if (globCache.has(pattern)) return globCache.get(pattern)!;
  // Linear-time matcher (no backtracking regex): a pattern cannot stall the change page.
  const m = compilePathGlob(pattern.replace(/^\.?\//, ''));
  // Bounded, and large enough for every path watch-out of a large organisation (2,500 in the benchmark):
  // a smaller bound cleared the cache on every change page and recompiled each glob.
  if (globCache.size > 20_000) globCache.clear();
  globCache.set(pattern, m);
  return m;
}

// ---- Config keys ----

interface ConfigLine {
  path: string;
  line?: number;
  /** Dotted identifiers on the line (as written) and, for nested formats, the line's full key path. */
  identifiers: string[];
  /** UPPER_SNAKE tokens (environment variables). */
  envTokens: string[];
}

export interface ConfigKeyIndex {
  lines: ConfigLine[];
}

const IDENTIFIER = /[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*/g;
const ENV_TOKEN = /\b[A-Z][A-Z0-9_]*[A-Z0-9]\b/g;
const NESTED_LANGUAGES = new Set(['yaml', 'json', 'toml', 'ini', 'properties']);
/** A key at the start of a line: `key:`, `"key":`, `key =`, `- key:`. */
const KEY_LINE = /^(\s*)(?:-\s+)?["']?([A-Za-z0-9_][A-Za-z0-9_.\-/]*)["']?\s*[:=](?:\s|$|[^:/])/;
const SECTION_LINE = /^\s*\[+\s*([A-Za-z0-9_.\-"]+)\s*\]+\s*$/;

/** Every added or deleted line of the diff, with the keys it mentions; built once per change. */
export function indexConfigLines(files: WatchoutMatchContext['files']): ConfigKeyIndex {
  const lines: ConfigLine[] = [];
  for (const file of files) {
    const nested = NESTED_LANGUAGES.has(file.language ?? '') || /\.(ya?ml|json|toml|ini|properties|conf|env)$/i.test(file.path);
    for (const hunk of file.hunks) {
      const paths = nested ? keyPathsOf(hunk) : null;
      hunk.lines.forEach((l, i) => {
        if (l.type === 'context') return;
        const identifiers = l.content.match(IDENTIFIER) ?? [];
        const full = paths?.[i];
        lines.push({
          path: file.path,
          line: l.type === 'add' ? l.newNo : l.oldNo,
          identifiers: full ? [...identifiers, full] : identifiers,
          envTokens: l.content.match(ENV_TOKEN) ?? [],
        });
      });
    }
  }
  return { lines };
}

/**
 * The full dotted key path of each line of a hunk, from indentation (YAML, JSON) or `[section]`
 * headers (TOML, INI), tracked separately for the old side (context + deleted lines) and the new
 * side (context + added lines). Only what the hunk shows is known: a parent above it is missing.
 */
function keyPathsOf(hunk: DiffHunk): (string | undefined)[] {
  const sides = { old: new KeyStack(), new: new KeyStack() };
  return hunk.lines.map((l) => {
    const stacks = l.type === 'add' ? [sides.new] : l.type === 'del' ? [sides.old] : [sides.old, sides.new];
    let path: string | undefined;
    for (const s of stacks) path = s.push(l.content) ?? path;
    return path;
  });
}

class KeyStack {
  private stack: { indent: number; key: string }[] = [];
  private section: string | null = null;

  push(content: string): string | undefined {
    const section = SECTION_LINE.exec(content);
    if (section) {
      this.section = section[1]!.replaceAll('"', '');
      this.stack = [];
      return this.section;
    }
    const m = KEY_LINE.exec(content);
    if (!m) return undefined;
    const indent = m[1]!.length;
    while (this.stack.length && this.stack[this.stack.length - 1]!.indent >= indent) this.stack.pop();
    this.stack.push({ indent, key: m[2]! });
    return [this.section, ...this.stack.map((s) => s.key)].filter(Boolean).join('.');
  }
}

/** Where a config key is set or removed: each added/deleted line that names it. */
export function findConfigKey(index: ConfigKeyIndex, key: string): { path: string; line?: number }[] {
  const segments = key.split('.').filter(Boolean);
  if (!segments.length) return [];
  const env = key.toUpperCase().replace(/[.-]/g, '_');
  const seen = new Set<string>();
  const hits: { path: string; line?: number }[] = [];
  for (const l of index.lines) {
    const found = l.identifiers.some((id) => containsSegments(id.split('.'), segments)) || l.envTokens.some((t) => t === env || containsSegments(t.split('_'), env.split('_')));
    if (!found) continue;
    const k = `${l.path}:${l.line ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    hits.push({ path: l.path, line: l.line });
  }
  return hits;
}

/** Whether `needle` occurs as a contiguous run of whole segments in `haystack`. */
function containsSegments(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function listPaths(paths: string[]): string {
  const shown = paths.slice(0, 2).join(', ');
  return paths.length > 2 ? `${shown} and ${paths.length - 2} more` : shown;
}

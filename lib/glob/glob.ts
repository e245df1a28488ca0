// One path-glob matcher for watch-out patterns and repository path mappings. Patterns are written by
// people and matched against paths from submitted diffs, so matching must stay linear: the glob is
// compiled to a small NFA (one state per token) and simulated over the path — O(path × pattern),
// never backtracking, whatever the pattern (`a*a*a*a*a*a*a*a*a*a*a*a*b` costs the same as `src/*.ts`).
// Semantics follow picomatch with { dot: true } for what people write: `*` and `?` stay inside one
// segment, `**` as a whole segment spans any number of segments (`a/**` also matches `a`), `[abc]`,
// `[!a-z]`, `{a,b}` alternatives, `\` escapes. Pure.

/** Save-time limits: a pattern a person writes fits easily; anything larger is refused with a reason. */
export const GLOB_LIMITS = { maxLength: 300, maxWildcards: 16, maxAlternatives: 32 } as const;

type Token =
  | { t: 'lit'; c: string }
  | { t: 'one' } // ? : one character except '/'
  | { t: 'star' } // * : any run of characters except '/'
  | { t: 'any' } // ** alone: anything
  | { t: 'dirs' } // **/ : zero or more whole segments, each followed by '/'
  | { t: 'tail' } // /** at the end: nothing, or '/' then the `any` token that always follows
  | { t: 'class'; negate: boolean; ranges: [number, number][] };

export type GlobMatcher = (path: string) => boolean;

/** Why a pattern is refused, or null when it is acceptable. The message names the limit. */
export function globProblem(pattern: string): string | null {
  if (pattern.length > GLOB_LIMITS.maxLength) return `a path glob is at most ${GLOB_LIMITS.maxLength} characters`;
  let wildcards = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') {
      wildcards++;
      while (c === '*' && pattern[i + 1] === '*') i++; // `**` counts once
    }
  }
  if (wildcards > GLOB_LIMITS.maxWildcards) {
    return `a path glob has at most ${GLOB_LIMITS.maxWildcards} wildcards (*, ?, [..]); this one has ${wildcards}`;
  }
  const alternatives = expandBraces(pattern, GLOB_LIMITS.maxAlternatives + 1);
  if (alternatives === null) return 'a path glob has an unbalanced { or [';
  if (alternatives.length > GLOB_LIMITS.maxAlternatives) {
    return `a path glob expands to at most ${GLOB_LIMITS.maxAlternatives} alternatives with {a,b}`;
  }
  return null;
}

/** Compiles a glob; null when it is malformed or over the limits (such a pattern never matches). */
export function compilePathGlob(pattern: string): GlobMatcher | null {
  if (globProblem(pattern) !== null) return null;
  const alternatives = expandBraces(pattern, GLOB_LIMITS.maxAlternatives)!;
  const programs: Token[][] = [];
  for (const alt of alternatives) {
    const tokens = tokenize(alt);
    if (!tokens) return null;
    programs.push(tokens);
  }
  return (path: string) => programs.some((p) => run(p, path));
}

/** The literal characters before the first wildcard (`services/checkout/` of `services/checkout/**`). */
export function globBase(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' || c === '?' || c === '[' || c === '{') break;
    if (c === '\\' && i + 1 < pattern.length) {
      out += pattern[++i];
      continue;
    }
    out += c;
  }
  // Only whole segments count: `src/ma*` has base `src`.
  const slash = out.lastIndexOf('/');
  return out.length === pattern.length ? out : slash === -1 ? '' : out.slice(0, slash);
}

/** `{a,b}` expanded (nested allowed), at most `limit` results; null when braces do not balance. */
function expandBraces(pattern: string, limit: number): string[] | null {
  let open = -1;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const head = pattern.slice(0, open);
        const body = pattern.slice(open + 1, i);
        const rest = pattern.slice(i + 1);
        const parts = splitTopLevel(body);
        if (parts.length < 2) {
          // `{a}` is literal in picomatch; keep the braces as text.
          const tail = expandBraces(rest, limit);
          return tail === null ? null : tail.map((t) => `${head}\\{${body}\\}${t}`).slice(0, limit);
        }
        const out: string[] = [];
        const tails = expandBraces(rest, limit);
        if (tails === null) return null;
        for (const part of parts) {
          const inner = expandBraces(part, limit);
          if (inner === null) return null;
          for (const x of inner) {
            for (const t of tails) {
              out.push(head + x + t);
              if (out.length >= limit) return out;
            }
          }
        }
        return out;
      }
    }
  }
  if (depth !== 0) return null;
  return [pattern];
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function tokenize(raw: string): Token[] | null {
  const pattern = raw.replace(/^\.\//, '');
  const tokens: Token[] = [];
  const n = pattern.length;
  for (let i = 0; i < n; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (i + 1 < n) tokens.push({ t: 'lit', c: pattern[++i]! });
      continue;
    }
    if (c === '*') {
      let j = i;
      while (j < n && pattern[j] === '*') j++;
      const double = j - i >= 2;
      const segmentStart = i === 0 || pattern[i - 1] === '/';
      const segmentEnd = j === n || pattern[j] === '/';
      if (double && segmentStart && segmentEnd) {
        if (j === n) {
          if (i === 0) tokens.push({ t: 'any' });
          else {
            // `a/**`: the '/' already emitted becomes optional along with what follows.
            tokens.pop();
            tokens.push({ t: 'tail' }, { t: 'any' });
          }
        } else {
          tokens.push({ t: 'dirs' });
          j++; // the '/' belongs to `dirs`
        }
      } else {
        tokens.push({ t: 'star' });
      }
      i = j - 1;
      continue;
    }
    if (c === '?') {
      tokens.push({ t: 'one' });
      continue;
    }
    if (c === '[') {
      const cls = readClass(pattern, i);
      if (!cls) return null;
      tokens.push(cls.token);
      i = cls.end;
      continue;
    }
    tokens.push({ t: 'lit', c });
  }
  return tokens;
}

function readClass(pattern: string, at: number): { token: Token; end: number } | null {
  let i = at + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  const ranges: [number, number][] = [];
  let first = true;
  while (i < pattern.length && (pattern[i] !== ']' || first)) {
    first = false;
    let c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) c = pattern[++i]!;
    let hi = c;
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      hi = pattern[i + 2]!;
      i += 2;
    }
    ranges.push([c.charCodeAt(0), hi.charCodeAt(0)]);
    i++;
  }
  if (i >= pattern.length) return null;
  return { token: { t: 'class', negate, ranges }, end: i };
}

const SLASH = 47;

function classHas(tok: Extract<Token, { t: 'class' }>, code: number): boolean {
  if (code === SLASH) return false;
  let inside = false;
  for (const [lo, hi] of tok.ranges) if (code >= lo && code <= hi) inside = true;
  return inside !== tok.negate;
}

/**
 * NFA simulation. State i means "tokens before i matched". Epsilon moves only go forward, so one
 * ascending sweep computes each closure: O(path length × token count) in all cases.
 */
function run(tokens: Token[], raw: string): boolean {
  const path = raw.startsWith('./') ? raw.slice(2) : raw.startsWith('/') ? raw.slice(1) : raw;
  const k = tokens.length;
  let cur = new Uint8Array(k + 1);
  let next = new Uint8Array(k + 1);
  cur[0] = 1;
  closure(tokens, cur);
  for (let p = 0; p < path.length; p++) {
    const code = path.charCodeAt(p);
    next.fill(0);
    let any = false;
    for (let s = 0; s < k; s++) {
      if (!cur[s]) continue;
      const tok = tokens[s]!;
      switch (tok.t) {
        case 'lit':
          if (tok.c.charCodeAt(0) === code) next[s + 1] = 1;
          break;
        case 'one':
          if (code !== SLASH) next[s + 1] = 1;
          break;
        case 'class':
          if (classHas(tok, code)) next[s + 1] = 1;
          break;
        case 'star':
          if (code !== SLASH) next[s] = 1;
          break;
        case 'any':
          next[s] = 1;
          break;
        case 'dirs':
          next[s] = 1; // inside the skipped segments
          if (code === SLASH) next[s + 1] = 1; // the segments end here
          break;
        case 'tail':
          if (code === SLASH) next[s + 1] = 1; // the '/' of `/**`: anything may follow
          break;
      }
    }
    closure(tokens, next);
    for (let s = 0; s <= k; s++) if (next[s]) any = true;
    if (!any) return false;
    [cur, next] = [next, cur];
  }
  return cur[k] === 1;
}

function closure(tokens: Token[], states: Uint8Array): void {
  for (let s = 0; s < tokens.length; s++) {
    if (!states[s]) continue;
    const t = tokens[s]!.t;
    if (t === 'star' || t === 'any' || t === 'dirs') states[s + 1] = 1;
    else if (t === 'tail') states[s + 2] = 1; // `a/**` matches `a` itself: skip the '/' and its `any`
  }
}

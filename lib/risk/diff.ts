// Unified diffs parsed by parse-diff (a maintained parser), then repaired where it falls short:
// it ignores rename/copy/binary headers, turns "\ No newline at end of file" into a fake line and
// crashes on some malformed input. We split the text at `diff ` lines, read each file's own header
// lines, and validate every hunk, so bad input becomes a RiskInputError, never a crash or a hang.
import parseDiff from 'parse-diff';
import { RiskInputError } from './errors';
import { detectLanguage } from './language';
import type { DiffFile, DiffHunk, DiffLine } from './types';

const NO_NEWLINE_MARKER = '\\ No newline at end of file';
const DEV_NULL = '/dev/null';
/** parse-diff's file-name regex is quadratic on absurd `diff` lines; no real path is this long. */
const MAX_DIFF_HEADER_LENGTH = 4096;
/** Its hunk-header regex backtracks quadratically on long digit runs; real ranges fit in 40 characters. */
const MAX_HUNK_RANGE_LENGTH = 64;

/** What git's extended header lines say about one file; parse-diff reads none of these. */
interface GitFileHeader {
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
  similarity?: number;
  binary: boolean;
  binaryFrom?: string;
  binaryTo?: string;
}

interface Segment {
  text: string;
  header: GitFileHeader | null;
}

/** Parse a unified diff (git or plain `diff -u`, with or without a mail/commit preamble). */
export function parseUnifiedDiff(text: string): DiffFile[] {
  if (typeof text !== 'string') throw new RiskInputError('invalid_diff', 'The diff must be text.');
  if (text.trim() === '') return [];
  const normalized = usesCrlf(text) ? text.split('\r\n').join('\n') : text;

  const files: DiffFile[] = [];
  for (const segment of splitSegments(normalized)) {
    let parsed: parseDiff.File[];
    try {
      parsed = parseDiff(segment.text);
    } catch (err) {
      throw new RiskInputError('invalid_diff', `Malformed diff near file ${files.length + 1}: ${describeError(err)}.`);
    }
    let header = segment.header;
    for (const raw of parsed) {
      const file = toDiffFile(raw, header);
      header = null; // a segment's git header belongs to its first file only
      if (file) files.push(file);
    }
    if (parsed.length === 0 && segment.header?.binary) {
      const file = binaryOnlyFile(segment.header);
      if (file) files.push(file);
    }
  }

  if (files.length === 0) {
    throw new RiskInputError('invalid_diff', 'No file diff found: expected unified diff text with `diff --git`, `---`/`+++` or `@@` lines.');
  }
  return files;
}

function usesCrlf(text: string): boolean {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13;
}

function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}

/**
 * One pass over line starts (no per-line allocation): cut the text before each `diff ` line and
 * read that file's git extended headers, up to its first hunk or binary payload.
 */
function splitSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  let segmentStart = 0;
  let header: GitFileHeader | null = null;
  let inHeader = false;
  let pos = 0;
  const length = text.length;

  while (pos < length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = length;

    if (text.charCodeAt(pos) === 64 /* @ */ && text.startsWith('@@', pos)) checkHunkHeader(text, pos, end);

    if (text.startsWith('diff ', pos)) {
      if (end - pos > MAX_DIFF_HEADER_LENGTH) {
        throw new RiskInputError('invalid_diff', `A \`diff\` header line is ${end - pos} characters long; no file path is that long.`);
      }
      if (pos > segmentStart) segments.push({ text: text.slice(segmentStart, pos), header });
      segmentStart = pos;
      header = { binary: false };
      inHeader = true;
    } else if (inHeader && header) {
      const code = text.charCodeAt(pos);
      if (code === 64 /* @ */ && text.startsWith('@@', pos)) {
        inHeader = false;
      } else if (code === 71 /* G */ && text.startsWith('GIT binary patch', pos)) {
        header.binary = true;
        inHeader = false; // what follows is base85 payload
      } else if (code === 66 /* B */ && text.startsWith('Binary files ', pos)) {
        header.binary = true;
        readBinaryPaths(text.slice(pos + 13, end), header);
      } else if (code === 114 /* r */) {
        if (text.startsWith('rename from ', pos)) header.renameFrom = unquotePath(text.slice(pos + 12, end));
        else if (text.startsWith('rename to ', pos)) header.renameTo = unquotePath(text.slice(pos + 10, end));
      } else if (code === 99 /* c */) {
        if (text.startsWith('copy from ', pos)) header.copyFrom = unquotePath(text.slice(pos + 10, end));
        else if (text.startsWith('copy to ', pos)) header.copyTo = unquotePath(text.slice(pos + 8, end));
      } else if (code === 115 /* s */ && text.startsWith('similarity index ', pos)) {
        const value = Number.parseInt(text.slice(pos + 17, end), 10);
        if (Number.isFinite(value)) header.similarity = value;
      }
    } else if (!inHeader && text.charCodeAt(pos) === 66 /* B */ && text.startsWith('Binary files ', pos)) {
      // `diff -r` prints this without a `diff` line of its own: it is a file on its own.
      if (pos > segmentStart) segments.push({ text: text.slice(segmentStart, pos), header });
      const binary: GitFileHeader = { binary: true };
      readBinaryPaths(text.slice(pos + 13, end), binary);
      segments.push({ text: '', header: binary });
      segmentStart = end + 1;
      header = null;
    }
    pos = end + 1;
  }
  if (segmentStart < length) segments.push({ text: text.slice(segmentStart), header });
  return segments;
}

/** Rejects "@@ -<thousands of digits>…" before parse-diff's regex spends minutes backtracking on it. */
function checkHunkHeader(text: string, pos: number, end: number): void {
  let i = pos + 2;
  while (i < end) {
    const c = text.charCodeAt(i);
    // digits, space, tab, ',', '+', '-'
    if ((c >= 48 && c <= 57) || c === 32 || c === 9 || c === 44 || c === 43 || c === 45) i++;
    else break;
  }
  if (i - pos > MAX_HUNK_RANGE_LENGTH) {
    throw new RiskInputError('invalid_diff', `Malformed hunk header "${text.slice(pos, pos + 40)}…": its line range is ${i - pos} characters long.`);
  }
}

/** "a/x.png and b/x.png differ" → both paths (git prefixes and /dev/null kept for the caller). */
function readBinaryPaths(rest: string, header: GitFileHeader): void {
  const body = rest.endsWith(' differ') ? rest.slice(0, -7) : rest;
  const and = body.indexOf(' and ');
  if (and === -1) return;
  header.binaryFrom = stripGitPrefix(unquotePath(body.slice(0, and)));
  header.binaryTo = stripGitPrefix(unquotePath(body.slice(and + 5)));
}

function unquotePath(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) return decodeGitQuoted(trimmed.slice(1, -1));
  return trimmed;
}

const GIT_ESCAPES: Record<string, number> = { n: 10, t: 9, '"': 34, '\\': 92, a: 7, b: 8, f: 12, r: 13, v: 11 };
const OCTAL_ESCAPE = /\\[0-7]{3}/;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** git quotes unusual paths C-style, with octal escapes for UTF-8 bytes ("caf\303\251.go"). */
function decodeGitQuoted(body: string): string {
  if (!body.includes('\\')) return body;
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch !== '\\' || i + 1 >= body.length) {
      for (const b of utf8Encoder.encode(ch)) bytes.push(b);
      continue;
    }
    const next = body[i + 1] ?? '';
    if (next >= '0' && next <= '7') {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4))?.[0] ?? next;
      bytes.push(Number.parseInt(octal, 8));
      i += octal.length;
    } else {
      bytes.push(GIT_ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return utf8Decoder.decode(new Uint8Array(bytes));
}

function stripGitPrefix(path: string): string {
  if (path === DEV_NULL) return path;
  return path.length > 2 && path[1] === '/' && 'abiwco12'.includes(path[0] ?? '') ? path.slice(2) : path;
}

function cleanPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const trimmed = path.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('"')) return unquotePath(trimmed);
  // parse-diff strips git's quotes but leaves the octal escapes of non-ASCII names ("caf\303\251.md").
  if (OCTAL_ESCAPE.test(trimmed)) return decodeGitQuoted(trimmed);
  return trimmed;
}

function toDiffFile(raw: parseDiff.File, header: GitFileHeader | null): DiffFile | null {
  let from = cleanPath(header?.renameFrom ?? header?.copyFrom ?? raw.from);
  let to = cleanPath(header?.renameTo ?? header?.copyTo ?? raw.to);
  if (header?.binary && (!from || !to)) {
    from ??= header.binaryFrom;
    to ??= header.binaryTo;
  }

  const deleted = raw.deleted === true || to === DEV_NULL;
  const added = raw.new === true || from === DEV_NULL;
  const path = deleted ? from : (to ?? from);
  const modeChanged = raw.oldMode !== undefined && raw.newMode !== undefined && raw.oldMode !== raw.newMode;
  const hasContent = raw.chunks.length > 0 || header?.binary === true || header?.renameFrom !== undefined
    || header?.copyFrom !== undefined || added || deleted || modeChanged;

  if (!path || path === DEV_NULL) {
    if (raw.chunks.length > 0) {
      throw new RiskInputError('invalid_diff', `Hunk "${raw.chunks[0]?.content.slice(0, 80)}" has no file header (\`diff --git\` or \`---\`/\`+++\`) before it.`);
    }
    return null; // prose that merely looked like a header (e.g. a commit message line starting with "diff ")
  }
  if (!hasContent) return null;

  let status: DiffFile['status'] = 'modified';
  let oldPath: string | null = null;
  if (deleted) status = 'deleted';
  else if (header?.copyFrom !== undefined) {
    status = 'added';
    oldPath = header.copyFrom;
  } else if (added) status = 'added';
  else if (header?.renameFrom !== undefined || (header !== null && from !== undefined && from !== path)) {
    // Only git says "renamed"; plain `diff -u old/f new/f` differs in prefixes, not in files.
    status = 'renamed';
    oldPath = from ?? null;
  }

  const file: DiffFile = {
    path,
    oldPath,
    status,
    binary: header?.binary === true,
    additions: raw.additions,
    deletions: raw.deletions,
    language: detectLanguage(path),
    hunks: raw.chunks.map((chunk) => toHunk(chunk, path)),
  };
  if (header?.similarity !== undefined) file.similarity = header.similarity;
  return file;
}

function toHunk(chunk: parseDiff.Chunk, path: string): DiffHunk {
  const lines: DiffLine[] = [];
  for (const change of chunk.changes) {
    const content = change.content;
    if (content === NO_NEWLINE_MARKER) {
      const previous = lines[lines.length - 1];
      if (previous) previous.noNewlineAtEof = true;
      continue;
    }
    if (change.type === 'add') {
      lines.push({ type: 'add', content: content.slice(1), newNo: change.ln });
    } else if (change.type === 'del') {
      lines.push({ type: 'del', content: content.slice(1), oldNo: change.ln });
    } else {
      // parse-diff counts any line inside a hunk as context; a line that is not one means the
      // hunk header's line counts are wrong and the rest of the file would be misread.
      if (content.length > 0 && content.charCodeAt(0) !== 32) {
        throw new RiskInputError(
          'invalid_diff',
          `Hunk "${chunk.content.slice(0, 80)}" in ${path} declares more lines than it has: "${content.slice(0, 60)}" is not a context, added or removed line.`,
        );
      }
      lines.push({ type: 'context', content: content.slice(1), oldNo: change.ln1, newNo: change.ln2 });
    }
  }
  return {
    header: chunk.content,
    oldStart: chunk.oldStart,
    oldLines: chunk.oldLines,
    newStart: chunk.newStart,
    newLines: chunk.newLines,
    lines,
  };
}

/** A `Binary files … differ` line with no `diff` line of its own (GNU `diff -r`). */
function binaryOnlyFile(header: GitFileHeader): DiffFile | null {
  const from = header.binaryFrom;
  const to = header.binaryTo;
  const deleted = to === DEV_NULL;
  const added = from === DEV_NULL;
  const path = deleted ? from : to;
  if (!path || path === DEV_NULL) return null;
  return {
    path,
    oldPath: !added && !deleted && from && from !== path ? from : null,
    status: deleted ? 'deleted' : added ? 'added' : 'modified',
    binary: true,
    additions: 0,
    deletions: 0,
    language: detectLanguage(path),
    hunks: [],
  };
}

/** Lines carrying at least one flag: the `flagged` count the diff view shows per file. */
export function countFlaggedLines(file: DiffFile): number {
  let count = 0;
  for (const hunk of file.hunks) for (const line of hunk.lines) if (line.flags && line.flags.length > 0) count++;
  return count;
}

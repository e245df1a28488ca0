import { describe, expect, it } from 'vitest';
import { countFlaggedLines, detectDestructive, parseUnifiedDiff, RiskInputError } from '@/lib/risk';
import { readDiffFixture } from './risk-input';

function expectInvalid(text: string, fragment: RegExp): void {
  let error: unknown;
  try {
    parseUnifiedDiff(text);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(RiskInputError);
  expect((error as RiskInputError).code).toBe('invalid_diff');
  expect((error as RiskInputError).message).toMatch(fragment);
  expect((error as RiskInputError).message).not.toContain('\n');
}

describe('parseUnifiedDiff on real patches', () => {
  it('reads a format-patch mail with a pure rename, a deleted file and modifications (git, 2018)', () => {
    const files = parseUnifiedDiff(readDiffFixture('git-rebase-interactive-rename-delete.patch'));
    expect(files.map((f) => [f.path, f.status])).toEqual([
      ['.gitignore', 'modified'],
      ['Makefile', 'modified'],
      ['builtin/rebase--interactive.c', 'renamed'],
      ['git-rebase--interactive.sh', 'deleted'],
      ['git-rebase.sh', 'modified'],
      ['git.c', 'modified'],
    ]);
    const renamed = files[2]!;
    expect(renamed.oldPath).toBe('builtin/rebase--interactive2.c');
    expect(renamed.similarity).toBe(100);
    expect(renamed.hunks).toEqual([]);
    const deleted = files[3]!;
    expect(deleted.deletions).toBe(84);
    expect(deleted.additions).toBe(0);
    expect(deleted.language).toBe('shell');
    expect(deleted.hunks[0]!.lines.every((l) => l.type === 'del')).toBe(true);
    const makefile = files[1]!;
    expect(makefile.language).toBe('makefile');
    expect([makefile.additions, makefile.deletions]).toEqual([1, 3]);
    expect(makefile.hunks).toHaveLength(3);
  });

  it('reads a rename with no hunk followed by a mailing-list footer (linux-mm, 2012)', () => {
    const files = parseUnifiedDiff(readDiffFixture('linux-mm-slabinfo-rename.patch'));
    expect(files).toHaveLength(2);
    expect(files[1]).toMatchObject({ path: 'tools/vm/slabinfo.c', oldPath: 'tools/slub/slabinfo.c', status: 'renamed', language: 'c', hunks: [] });
  });

  it('marks GIT binary patch files (delta and literal) as binary with no hunks (qemu, 2021)', () => {
    const files = parseUnifiedDiff(readDiffFixture('qemu-acpi-binary-blobs.patch'));
    expect(files.map((f) => [f.path, f.binary])).toEqual([
      ['tests/qtest/bios-tables-test-allowed-diff.h', false],
      ['tests/data/acpi/q35/FACP.slic', true],
      ['tests/data/acpi/q35/SLIC.slic', true],
    ]);
    expect(files[1]!.hunks).toEqual([]);
    // "@@ -1,3 +1 @@": an omitted count means one line.
    expect(files[0]!.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 3, newStart: 1, newLines: 1 });
  });

  it('reads new files and "\\ No newline at end of file" without inventing a line (LTP, 2021)', () => {
    const files = parseUnifiedDiff(readDiffFixture('ltp-close-range-new-files.patch'));
    expect(files.map((f) => [f.path, f.status, f.additions])).toEqual([
      ['testcases/kernel/syscalls/close_range/.gitignore', 'added', 1],
      ['testcases/kernel/syscalls/close_range/Makefile', 'added', 10],
      ['testcases/kernel/syscalls/close_range/close_range01.c', 'added', 208],
    ]);
    const gitignore = files[0]!.hunks[0]!;
    expect(gitignore.lines).toEqual([{ type: 'add', content: 'close_range01', newNo: 1, noNewlineAtEof: true }]);
    const source = files[2]!.hunks[0]!.lines;
    expect(source).toHaveLength(208);
    expect(source[207]).toMatchObject({ type: 'add', content: '};', newNo: 208 });
  });

  it('numbers old and new lines across hunks (git ls-tree rewrite, plain `diff a/ b/` headers)', () => {
    const files = parseUnifiedDiff(readDiffFixture('git-ls-tree-rewrite.diff'));
    expect(files.map((f) => f.path)).toEqual(['Documentation/git-ls-tree.txt', 'ls-tree.c', 't/t3100-ls-tree-restrict.sh', 'tree.c', 'tree.h']);
    const doc = files[0]!;
    expect(doc.hunks.map((h) => h.header)).toEqual(['@@ -4,23 +4,26 @@ v0.1, May 2005', '@@ -28,18 +31,19 @@ OPTIONS']);
    const first = doc.hunks[0]!.lines;
    expect(first[0]).toEqual({ type: 'context', content: '', oldNo: 4, newNo: 4 });
    expect(first[3]).toEqual({ type: 'del', content: 'git-ls-tree - Displays a tree object in human readable form', oldNo: 7 });
    expect(first[4]).toEqual({ type: 'add', content: 'git-ls-tree - Lists the contents of a tree object.', newNo: 7 });
    for (const file of files) {
      for (const hunk of file.hunks) {
        const oldSide = hunk.lines.filter((l) => l.type !== 'add').length;
        const newSide = hunk.lines.filter((l) => l.type !== 'del').length;
        expect([oldSide, newSide]).toEqual([hunk.oldLines, hunk.newLines]);
      }
    }
    expect(files[1]).toMatchObject({ additions: 184, deletions: 149, language: 'c' });
  });

  it('accepts context lines whose leading space was stripped (nixpkgs omnom patch)', () => {
    const [file] = parseUnifiedDiff(readDiffFixture('omnom-go-mod-bump.patch'));
    expect(file).toMatchObject({ path: 'go.mod', additions: 38, deletions: 10 });
    expect(file!.hunks[0]!.lines[1]).toEqual({ type: 'context', content: '', oldNo: 2, newNo: 2 });
  });

  it('ignores the mail preamble and diffstat of format-patch output (xar, git patch-id)', () => {
    expect(parseUnifiedDiff(readDiffFixture('xar-empty-acl.patch')).map((f) => f.path)).toEqual(['xar/configure.ac', 'xar/include/config.h.in', 'xar/lib/stat.c']);
    const files = parseUnifiedDiff(readDiffFixture('git-patch-id-binary.patch'));
    expect(files.map((f) => [f.path, f.additions, f.deletions, f.binary])).toEqual([
      ['builtin/patch-id.c', 34, 2, false],
      ['t/t4204-patch-id.sh', 28, 1, false],
    ]);
  });
});

describe('parseUnifiedDiff on edge cases', () => {
  it('returns [] for empty or blank text', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(parseUnifiedDiff('  \n\n')).toEqual([]);
  });

  it('reads a rename with edits, a copy, a mode change and an empty new file', () => {
    const files = parseUnifiedDiff([
      'diff --git a/src/old-name.ts b/src/new-name.ts',
      'similarity index 87%',
      'rename from src/old-name.ts',
      'rename to src/new-name.ts',
      'index 1111111..2222222 100644',
      '--- a/src/old-name.ts',
      '+++ b/src/new-name.ts',
      '@@ -1,2 +1,2 @@',
      '-export const a = 1;',
      '+export const a = 2;',
      ' export const b = 3;',
      'diff --git a/lib/base.py b/lib/copy.py',
      'similarity index 100%',
      'copy from lib/base.py',
      'copy to lib/copy.py',
      'diff --git a/bin/run b/bin/run',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/.keep b/.keep',
      'new file mode 100644',
      'index 0000000..e69de29',
      '',
    ].join('\n'));
    expect(files.map((f) => [f.path, f.oldPath, f.status])).toEqual([
      ['src/new-name.ts', 'src/old-name.ts', 'renamed'],
      ['lib/copy.py', 'lib/base.py', 'added'],
      ['bin/run', null, 'modified'],
      ['.keep', null, 'added'],
    ]);
    expect(files[0]!.similarity).toBe(87);
    expect(files[0]!.language).toBe('typescript');
  });

  it('reads `Binary files … differ` with and without a diff line, and quoted UTF-8 paths', () => {
    const files = parseUnifiedDiff([
      'diff --git a/assets/logo.png b/assets/logo.png',
      'new file mode 100644',
      'index 0000000..5555555',
      'Binary files /dev/null and b/assets/logo.png differ',
      'diff --git "a/docs/caf\\303\\251.md" "b/docs/caf\\303\\251.md"',
      'deleted file mode 100644',
      'index 4444444..0000000',
      '--- "a/docs/caf\\303\\251.md"',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bonjour',
      'Binary files old/font.woff2 and new/font.woff2 differ',
    ].join('\n'));
    expect(files.map((f) => [f.path, f.status, f.binary])).toEqual([
      ['assets/logo.png', 'added', true],
      ['docs/café.md', 'deleted', false],
      ['new/font.woff2', 'modified', true],
    ]);
  });

  it('reads plain `diff -u` output with timestamps and no git headers', () => {
    const files = parseUnifiedDiff([
      '--- app/config.yaml.orig\t2026-03-01 10:00:00.000000000 +0100',
      '+++ app/config.yaml\t2026-03-02 11:00:00.000000000 +0100',
      '@@ -1,2 +1,2 @@',
      ' name: cart',
      '-timeout: 30s',
      '+timeout: 5s',
      '--- app/other.yaml',
      '+++ app/other.yaml',
      '@@ -1 +1 @@',
      '-a: 1',
      '+a: 2',
    ].join('\n'));
    expect(files.map((f) => [f.path, f.status, f.language])).toEqual([
      ['app/config.yaml', 'modified', 'yaml'],
      ['app/other.yaml', 'modified', 'yaml'],
    ]);
  });

  it('reads CRLF diffs', () => {
    const files = parseUnifiedDiff('diff --git a/x.ts b/x.ts\r\n--- a/x.ts\r\n+++ b/x.ts\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n');
    expect(files[0]!.hunks[0]!.lines).toEqual([
      { type: 'del', content: 'a', oldNo: 1 },
      { type: 'add', content: 'b', newNo: 1 },
    ]);
  });

  it('detects languages from extensions and well-known names', () => {
    const paths = ['a.ts', 'b.tsx', 'c.py', 'd.go', 'e.java', 'f.rb', 'g.rs', 'h.sql', 'i.yml', 'j.json', 'k.tf', 'l.hcl', 'm.sh', 'Dockerfile', 'svc/Dockerfile.prod', 'README.md', 'noext'];
    const diff = paths.map((p) => `diff --git a/${p} b/${p}\n--- a/${p}\n+++ b/${p}\n@@ -1 +1 @@\n-x\n+y\n`).join('');
    expect(parseUnifiedDiff(diff).map((f) => f.language)).toEqual([
      'typescript', 'tsx', 'python', 'go', 'java', 'ruby', 'rust', 'sql', 'yaml', 'json', 'terraform', 'hcl', 'shell', 'dockerfile', 'dockerfile', 'markdown', null,
    ]);
  });
});

describe('parseUnifiedDiff on malformed input', () => {
  it('refuses text that holds no diff', () => {
    expectInvalid('This is a commit message, not a diff.\nIt has two lines.', /No file diff found/);
    expectInvalid('{"diff": "not really"}', /No file diff found/);
  });

  it('refuses a hunk whose header declares more lines than it has', () => {
    expectInvalid([
      'diff --git a/x.ts b/x.ts', '--- a/x.ts', '+++ b/x.ts',
      '@@ -1,5 +1,5 @@', ' a', '-b', '+c',
      '@@ -10,2 +10,2 @@', ' d', '-e', '+f',
    ].join('\n'), /declares more lines than it has/);
  });

  it('refuses a hunk with no file header instead of crashing inside the parser', () => {
    expectInvalid('@@ -1 +1 @@\n-a\n+b\n', /no file header/);
    expectInvalid('@@ -1 +1 @@\n\\ No newline at end of file', /Malformed diff|no file header/);
  });

  it('refuses absurd header lines quickly instead of backtracking for minutes', () => {
    const started = performance.now();
    expectInvalid(`diff --git ${'a/'.repeat(200_000)}\n`, /characters long/);
    expectInvalid(`--- a/x\n+++ b/x\n@@ -${'1'.repeat(1_000_000)} +1 @\n`, /Malformed hunk header/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('parseUnifiedDiff on large input', () => {
  it('parses and flags a 5 MB diff in well under the limit', () => {
    const hunk = (i: number) => [
      `diff --git a/src/module-${i}/handler.ts b/src/module-${i}/handler.ts`,
      `index ${(1000000 + i).toString(16)}..${(2000000 + i).toString(16)} 100644`,
      `--- a/src/module-${i}/handler.ts`,
      `+++ b/src/module-${i}/handler.ts`,
      '@@ -10,8 +10,9 @@ export async function handle(req: Request) {',
      '   const body = await req.json();',
      '-  if (!body.id) throw new Error("missing id");',
      '+  const id = String(body.id ?? "");',
      '+  if (!id) throw new Error("missing id");',
      '   const record = await load(id);',
      '   record.touchedAt = new Date();',
      '   await save(record);',
      '   return Response.json(record);',
      ' }',
      ' ',
    ].join('\n');
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const h = hunk(i);
      parts.push(h);
      size += h.length + 1;
    }
    const text = `${parts.join('\n')}\n`;
    const started = performance.now();
    const files = parseUnifiedDiff(text);
    detectDestructive(files, null);
    const elapsed = performance.now() - started;
    expect(files.length).toBe(parts.length);
    expect(files[0]!.hunks[0]!.lines).toHaveLength(10);
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('countFlaggedLines', () => {
  it('counts the lines the detector flagged in a file', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-ops-teardown.diff'));
    detectDestructive(files, null);
    expect(files.map(countFlaggedLines)).toEqual([4, 1]);
  });
});

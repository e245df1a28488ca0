// Shared by the queue, change-detail and watch-out tests: submit a change the way the API does.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '@/db/client';
import { SubmitChangeInput, type SubmitChangeInput as SubmitInput } from '@/lib/changes/schema';
import { submitChange } from '@/lib/changes/submit';

export const fixture = (dir: 'diffs' | 'plans', name: string) => fs.readFileSync(path.resolve(__dirname, '../fixtures', dir, name), 'utf8');

export async function submit(db: Db, input: SubmitInput) {
  return submitChange(db, SubmitChangeInput.parse(input), { personId: null, label: 'test' });
}

/** A minimal unified diff of one file. */
export function diffOf(file: string, lines: { del?: string[]; add?: string[]; context?: string[] }, status: 'modified' | 'deleted' | 'added' = 'modified'): string {
  const del = lines.del ?? [];
  const add = lines.add ?? [];
  const ctx = lines.context ?? [];
  const header = [`diff --git a/${file} b/${file}`];
  if (status === 'deleted') header.push('deleted file mode 100644');
  if (status === 'added') header.push('new file mode 100644');
  header.push('index 1111111..2222222');
  header.push(status === 'added' ? '--- /dev/null' : `--- a/${file}`);
  header.push(status === 'deleted' ? '+++ /dev/null' : `+++ b/${file}`);
  const oldCount = ctx.length + del.length;
  const newCount = ctx.length + add.length;
  header.push(`@@ -${oldCount ? 1 : 0},${oldCount} +${newCount ? 1 : 0},${newCount} @@`);
  return [...header, ...ctx.map((l) => ` ${l}`), ...del.map((l) => `-${l}`), ...add.map((l) => `+${l}`)].join('\n') + '\n';
}

// Crafted diffs must cost what benign diffs of the same size cost: no detector regex may backtrack
// super-linearly on a line that repeats a command or keyword. Each case builds a ~1–3 MB diff whose
// lines repeat one token up to the scanned length, and compares its analysis time with a benign diff
// of the same size and shape (a ratio, not a wall-clock limit, so a slow machine does not fail it).
import { describe, expect, it } from 'vitest';
import { detectDestructive, parseUnifiedDiff, scoreChange } from '@/lib/risk';
import { riskInput } from './risk-input';

const LINE = 1000; // the scanned length of a line (flag-context MAX_SCANNED_LINE)

function diffOf(path: string, line: string, lines: number, sign: '+' | '-' = '+'): string {
  const body = `${sign}${line}\n`.repeat(lines);
  const range = sign === '+' ? `-0,0 +1,${lines}` : `-1,${lines} +0,0`;
  return `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ ${range} @@\n${body}`;
}

const fill = (token: string) => token.repeat(Math.ceil(LINE / token.length)).slice(0, LINE);

/** A keyword, then a run of spaces (or `run`) to the scanned length, then a character that spoils the ending. */
const spoiled = (head: string, run = ' ') => `${head}${run.repeat(LINE)}`.slice(0, LINE - 1) + 'x';

/** Whole lines, added and deleted: long runs that end badly, where adjacent `\s*` used to backtrack. */
const HOSTILE_LINES: [string, '+' | '-'][] = [
  [spoiled('db.delete(x)'), '+'], [spoiled('x.deleteMany('), '+'], [spoiled('kubectl delete ', ')'), '+'],
  [spoiled('if x'), '+'], [spoiled('if x'), '-'], [spoiled('if '), '-'],
  [spoiled('timeout:'), '-'], [spoiled('drop table'), '+'], [spoiled('update x'), '+'],
];

function analysisMs(text: string): number {
  const files = parseUnifiedDiff(text);
  const s = performance.now();
  detectDestructive(files);
  return performance.now() - s;
}

/** Benign: ordinary code of the same length per line that passes the cheap prefilter ("drop", "update "), so every rule reads it. */
const BENIGN_LINE = fill('const dropdown = items.map((item) => update (item.price)); ');

const HOSTILE_TOKENS = [
  'terraform apply ', 'terraform ', 'terraform destroy ', 'kubectl ', 'kubectl delete ', 'helm ', 'git push ', 'aws s3 rm ',
  'aws x ', 'gcloud x ', 'az x ', 'rm -', 'alter table x ', 'alter table x alter ', 'drop table ', 'truncate ',
  'delete from x ', 'update x set ', 'update x ', '"execute ', 'dry_run = ', 'deletion_protection = ', 'if (', 'a.',
  '.deleteMany( ', 'db.delete( ', 'def down ', 'async down(', 'timeout: ', 'max_retries = 1',
];

describe('detectors on hostile diffs', () => {
  for (const path of ['app/jobs.ts', 'db/migrations/0001_x.sql', 'infra/main.tf']) {
    it(`${path}: crafted lines cost at most a few times benign lines of the same size`, () => {
      const lines = 1000; // 1 MB
      analysisMs(diffOf(path, BENIGN_LINE, 50)); // warm-up
      const benign = Math.max(analysisMs(diffOf(path, BENIGN_LINE, lines)), 5);
      const slow: string[] = [];
      for (const token of HOSTILE_TOKENS) {
        const ms = analysisMs(diffOf(path, fill(token), lines));
        if (ms > 15 * benign) slow.push(`${JSON.stringify(token)}: ${ms.toFixed(0)} ms vs ${benign.toFixed(0)} ms benign`);
      }
      for (const [line, sign] of HOSTILE_LINES) {
        const ms = analysisMs(diffOf(path, line, lines, sign));
        if (ms > 15 * benign) slow.push(`${sign}${JSON.stringify(line.slice(0, 20))}…: ${ms.toFixed(0)} ms vs ${benign.toFixed(0)} ms benign`);
      }
      expect(slow).toEqual([]);
    }, 120_000);
  }

  it('a 3 MB SQL migration of one endless statement costs what a benign one does', () => {
    const lines = 3000;
    const benign = Math.max(analysisMs(diffOf('db/migrations/0002_x.sql', fill('select a, b from t where c = 1 and d = 2 '), lines)), 5);
    for (const token of ['alter table x ', 'alter table x alter ', 'update x ', 'drop ', 'delete from x ']) {
      const ms = analysisMs(diffOf('db/migrations/0002_x.sql', fill(token), lines));
      expect(ms / benign, token).toBeLessThan(10);
    }
  }, 120_000);
});

describe('detectors still find what they found', () => {
  const one = (path: string, line: string) => detectDestructive(parseUnifiedDiff(diffOf(path, line, 1))).map((f) => f.key);
  it.each([
    ['deploy.sh', 'kubectl -n prod delete deployment api', 'kubectl_delete'],
    ['deploy.sh', 'helm --namespace prod uninstall api ', 'helm_uninstall'],
    ['deploy.sh', 'terraform -chdir=infra destroy', 'terraform_destroy'],
    ['deploy.sh', 'terraform apply -var x=1 -destroy', 'terraform_destroy'],
    ['deploy.sh', 'terraform apply -auto-approve', 'auto_approve'],
    ['deploy.sh', 'git push origin main --force', 'force_push'],
    ['deploy.sh', 'aws s3 rm s3://bucket --recursive', 'cloud_delete'],
    ['deploy.sh', 'aws rds delete-db-instance --id x', 'cloud_delete'],
    ['deploy.sh', 'gcloud sql instances delete prod', 'cloud_delete'],
    ['app/db.ts', 'await sql`ALTER TABLE orders DROP COLUMN total`;', 'sql_drop_column'],
    ['app/db.ts', 'await prisma.order.deleteMany( { } )', 'unbounded_delete'],
    ['app/db.ts', 'await prisma.order.deleteMany()', 'unbounded_delete'],
    ['app/db.ts', 'await db.delete(orders) ;  ', 'unbounded_delete'],
  ])('%s: %s → %s', (path, line, key) => {
    expect(one(path, line)).toContain(key);
  });

  it.each([
    ['deploy.sh', 'kubectl get pods | grep delete'],
    ['deploy.sh', 'terraform plan; echo destroy'],
    ['deploy.sh', 'git push origin main && ls -f'],
    ['deploy.sh', 'aws s3 rm s3://bucket/key; echo --recursive'],
    ['app/db.ts', 'await prisma.order.deleteMany({ where: { id } })'],
    ['app/db.ts', 'await db.delete(orders).where(eq(orders.id, id));'],
  ])('%s: %s flags nothing', (path, line) => {
    expect(one(path, line)).toEqual([]);
  });
});

describe('analysis time budget', () => {
  const big = parseUnifiedDiff(diffOf('deploy/run.sh', fill('kubectl get pods -n prod; '), 3000));

  it('scores fail-closed when the detectors run out of budget: maximum risk, destructive, "analysis incomplete"', () => {
    const r = scoreChange(riskInput({ files: big }), { budgetMs: 0 });
    expect(r).toMatchObject({ score: 100, level: 'critical', destructive: true });
    expect(r.factors.map((f) => f.key)).toEqual(['analysis_incomplete']);
    expect(r.factors[0]!.evidence).toMatch(/^Analysis incomplete: .*0 ms budget/);
  });

  it('stops within the budget instead of reading the whole diff', () => {
    const full = (() => {
      const s = performance.now();
      scoreChange(riskInput({ files: big }), { annotate: false });
      return performance.now() - s;
    })();
    const budget = Math.max(1, full / 10);
    const s = performance.now();
    const r = scoreChange(riskInput({ files: big }), { annotate: false, budgetMs: budget });
    const took = performance.now() - s;
    expect(r.factors.map((f) => f.key)).toEqual(['analysis_incomplete']);
    expect(took).toBeLessThan(full / 2);
  });

  it('leaves a change that fits its budget scored as before', () => {
    const files = parseUnifiedDiff(diffOf('deploy.sh', 'kubectl -n prod delete deployment api', 1));
    const r = scoreChange(riskInput({ files }), { budgetMs: 60_000 });
    expect(r.factors.map((f) => f.key)).not.toContain('analysis_incomplete');
    expect(r.findings?.map((f) => f.key)).toContain('kubectl_delete');
  });
});

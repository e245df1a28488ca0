// How many diffs per second the risk engine handles end to end (parse + flag + score) on the
// fixture diffs, single-threaded. Run: npx tsx scripts/bench/risk-throughput.ts [seconds]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectDestructive, parseTerraformPlan, parseUnifiedDiff, scoreChange } from '@/lib/risk';
import type { GraphService, RiskInput, TerraformPlanSummary } from '@/lib/risk/types';

const root = fileURLToPath(new URL('../../tests/fixtures', import.meta.url));
const seconds = Number(process.argv[2] ?? 3);

const diffs = readdirSync(path.join(root, 'diffs'))
  .filter((name) => name.endsWith('.patch') || name.endsWith('.diff'))
  .sort()
  .map((name) => ({ name, text: readFileSync(path.join(root, 'diffs', name), 'utf8') }));
const planText = readFileSync(path.join(root, 'plans', 'crafted-ecs-cluster-replace.json'), 'utf8');

const checkout: GraphService = { id: 2, slug: 'checkout', tier: 1, team: 'checkout' };
const context: Omit<RiskInput, 'files' | 'plan'> = {
  kind: 'code',
  aiLevel: 'generated',
  aiTool: 'copilot',
  environment: 'production',
  preDeployValidation: null,
  services: [checkout],
  blastRadius: {
    services: [
      { slug: 'storefront', tier: 2, depth: 1, path: ['checkout', 'storefront'] },
      { slug: 'mobile-bff', tier: 1, depth: 2, path: ['checkout', 'storefront', 'mobile-bff'] },
    ],
    total: 2,
    tier1: 1,
  },
  recentIncidents: [{ severity: 2, serviceSlugs: ['checkout'], title: 'Checkout latency', startedAt: new Date('2026-02-20') }],
  authorPriorChanges: 3,
  authorIsBot: false,
};

function assess(text: string, plan: TerraformPlanSummary | null): number {
  const files = parseUnifiedDiff(text);
  const findings = detectDestructive(files, plan);
  return scoreChange({ ...context, files, plan, findings }).score;
}

function measure(label: string, run: () => number, budgetMs: number): number {
  let count = 0;
  let checksum = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 20; i++) checksum += run();
    count += 20;
    elapsed = performance.now() - started;
  }
  const perSecond = (count / elapsed) * 1000;
  console.log(`${label.padEnd(48)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} /s  (checksum ${checksum % 997})`);
  return perSecond;
}

const totalLines = diffs.reduce((n, d) => n + d.text.split('\n').length, 0);
console.log(`risk engine throughput: ${diffs.length} fixture diffs (${Math.round(totalLines / diffs.length)} lines on average), node ${process.version}\n`);

// Warm-up on every fixture so the JIT has settled before anything is timed.
const plan = parseTerraformPlan(planText);
const warmUntil = performance.now() + 1000;
while (performance.now() < warmUntil) for (const diff of diffs) assess(diff.text, plan);

const perDiffBudget = (seconds * 1000) / (diffs.length + 2);
for (const diff of diffs) measure(diff.name, () => assess(diff.text, null), perDiffBudget);
measure('plan: crafted-ecs-cluster-replace.json', () => assess('', parseTerraformPlan(planText)), perDiffBudget);

// The mix: every fixture once per round, as a queue of real-shaped submissions would arrive.
let next = 0;
const mixed = measure('MIXED (round-robin over all fixtures)', () => {
  const diff = diffs[next++ % diffs.length]!;
  return assess(diff.text, null);
}, Math.max(1000, perDiffBudget * 2));
console.log(`\n${Math.round(mixed).toLocaleString('en-US')} diffs/s on one core (target: ≥ 2,000 diffs/s on a 2-core machine)`);

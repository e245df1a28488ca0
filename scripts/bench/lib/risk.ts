// Risk-engine throughput on real-shaped diffs: what arrives with a submission (the diff and the
// Terraform plan, parsed, identified by SHA-256, flagged and scored with the change's context),
// single-threaded and with one worker process per core. Samples come from the benchmark database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type DbHandle } from '@/db/client';
import type { AiLevel, ChangeKind, Tier } from '@/db/schema/enums';
import { readRevisionContent } from '@/lib/changes/content';
import { detectDestructive, scoreChange } from '@/lib/risk';
import type { BlastRadius, GraphService, RiskInput } from '@/lib/risk/types';

export interface RiskSample {
  diff: string;
  plan: unknown;
  context: Omit<RiskInput, 'files' | 'plan' | 'findings'>;
}

/** Distinct current revisions of recent changes, with the context they were scored in. */
export async function sampleRiskInputs(h: DbHandle, limit = 1000): Promise<RiskSample[]> {
  const rows = await queryRows<{ sha: string; diff: string; plan: unknown; kind: string; ai_level: string; ai_tool: string | null; environment: string; pre: boolean | null; blast: BlastRadius; services: { id: number; slug: string; tier: number; team: string | null }[]; is_bot: boolean }>(h.db, sql`
    select distinct on (r.sha) r.sha, r.diff, r.terraform_plan as plan, c.kind, c.ai_level, c.ai_tool, c.environment, c.pre_deploy_validation as pre,
      c.blast_radius as blast, p.is_bot,
      (select json_agg(json_build_object('id', s.id, 'slug', s.slug, 'tier', s.tier, 'team', s.team)) from change_services cs join services s on s.id = cs.service_id where cs.change_id = c.id) as services
    from (select id from changes order by id desc limit ${limit * 20}) recent
    join changes c on c.id = recent.id join revisions r on r.id = c.current_revision_id join people p on p.id = c.author_id
    order by r.sha limit ${limit}`);
  return rows.map((r) => ({
    diff: r.diff,
    plan: typeof r.plan === 'string' ? JSON.parse(r.plan) : r.plan,
    context: {
      kind: r.kind as ChangeKind,
      aiLevel: r.ai_level as AiLevel,
      aiTool: r.ai_tool,
      environment: r.environment,
      preDeployValidation: r.pre,
      services: (r.services ?? []).map((s) => ({ ...s, tier: s.tier as Tier })) as GraphService[],
      blastRadius: typeof r.blast === 'string' ? (JSON.parse(r.blast) as BlastRadius) : r.blast,
      recentIncidents: [{ severity: 3, serviceSlugs: [(r.services ?? [])[0]?.slug ?? 'x'], title: 'Elevated errors', startedAt: new Date('2026-10-01') }],
      authorPriorChanges: 4,
      authorIsBot: r.is_bot,
    },
  }));
}

/** Reads fixture diffs (real open-source patches) as samples with a plain context. */
export function fixtureSamples(root: string): RiskSample[] {
  const dir = path.join(root, 'tests/fixtures/diffs');
  if (!fs.existsSync(dir)) return [];
  const svc: GraphService = { id: 1, slug: 'checkout', tier: 1, team: 'checkout' };
  return fs.readdirSync(dir).filter((n) => /\.(patch|diff)$/.test(n)).sort().map((n) => ({
    diff: fs.readFileSync(path.join(dir, n), 'utf8'),
    plan: null,
    context: {
      kind: 'code', aiLevel: 'generated', aiTool: 'copilot', environment: 'production', preDeployValidation: null, services: [svc],
      blastRadius: { services: [], total: 0, tier1: 0 }, recentIncidents: [], authorPriorChanges: 3, authorIsBot: false,
    },
  }));
}

/** The full arrival path for one diff: parse + SHA-256 + plan + flag + score. */
export function assessOne(s: RiskSample): number {
  const content = readRevisionContent(s.diff, s.plan);
  const findings = detectDestructive(content.files, content.plan, { annotate: true });
  return scoreChange({ ...s.context, files: content.files, plan: content.plan, findings }).score;
}

/** In this process: diffs per second over `seconds`, after a one-second warm-up. */
export function measureInProcess(samples: RiskSample[], seconds: number): { diffsPerSec: number; count: number } {
  if (!samples.length) return { diffsPerSec: 0, count: 0 };
  let i = 0;
  let sink = 0;
  const warm = performance.now() + 1000;
  while (performance.now() < warm) sink += assessOne(samples[i++ % samples.length]!);
  let count = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 20; k++) sink += assessOne(samples[i++ % samples.length]!);
    count += 20;
  }
  const elapsed = (performance.now() - started) / 1000;
  if (sink === -1) console.log(sink); // keeps the work observable
  return { diffsPerSec: count / elapsed, count };
}

/** `workers` processes at once (one per core is what the machine can do), summed. */
export async function measureParallel(root: string, samples: RiskSample[], seconds: number, workers: number): Promise<number> {
  const file = path.join(os.tmpdir(), `countersign-bench-risk-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(samples));
  try {
    const results = await Promise.all(Array.from({ length: workers }, () => new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench/risk-worker.ts'), file, String(seconds)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`risk worker exited with ${code}`));
        resolve((JSON.parse(out.trim().split('\n').at(-1)!) as { diffsPerSec: number }).diffsPerSec);
      });
    })));
    return results.reduce((a, b) => a + b, 0);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

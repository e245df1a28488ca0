// Infrastructure and schema templates: Terraform updates, new alarms, replacements and
// deletions (with their plans), Kubernetes manifests, Dockerfiles, clean-up scripts and SQL migrations.
import { added, hunk, modified } from './diff';
import type { CloudResource } from './domain';
import { type Ctx, type Draft, traits } from './kit';
import { addResource, changeAttribute, removeResource, TF } from './terraform';

function resourceOf(ctx: Ctx): CloudResource {
  return ctx.profile.resources.length > 0 ? ctx.rng.pick(ctx.profile.resources) : 'ecs';
}

export function tfUpdate(ctx: Ctx): Draft {
  const def = TF[resourceOf(ctx)];
  const knob = ctx.rng.pick(def.knobs);
  const current = def.body(ctx.slug);
  const path = knob.path.split('.');
  let cur: unknown = current;
  for (const p of path) cur = (cur as Record<string, unknown>)[p];
  const options = knob.values.filter((v) => v !== cur);
  const to = ctx.rng.pick(options.length > 0 ? options : knob.values);
  const numeric = typeof to === 'number' && typeof cur === 'number';
  const lower = numeric ? (to as number) < (cur as number) : String(to) < String(cur);
  const change = changeAttribute(ctx.slug, def, knob.path, to, ctx.rng.int(3, 40), 'update');
  const verb = knob.label.includes('version') || knob.label.includes('release') ? (lower ? 'pin back' : 'upgrade') : lower ? 'reduce' : 'increase';
  const why = knob.why
    ? (lower ? knob.why.down : knob.why.up)
    : lower ? `Right-sizing after the FinOps review: utilisation has been under ${ctx.rng.int(20, 40)}% for a month.` : 'Headroom for the next peak, per the capacity plan.';
  return {
    kind: 'infra', files: change.files, plan: change.plan,
    traits: traits({ removesGuard: Boolean(numeric && lower && knob.lowerIsRisky) }),
    title: `${ctx.slug}: ${verb} ${knob.label} of ${def.type}.${def.name} to ${String(to)}`,
    description: `Terraform: ${def.type}.${def.name} ${knob.path} ${JSON.stringify(cur)} → ${JSON.stringify(to)}, updated in place (plan attached: 0 to add, 1 to change, 0 to destroy).\n\n${why}`,
  };
}

export function tfAlarm(ctx: Ctx): Draft {
  const metric = ctx.rng.pick([
    { name: 'p99_latency', metricName: 'TargetResponseTime', namespace: 'AWS/ApplicationELB', threshold: 1.5, what: 'p99 latency above 1.5 s' },
    { name: 'dlq_depth', metricName: 'ApproximateNumberOfMessagesVisible', namespace: 'AWS/SQS', threshold: 10, what: 'messages in the dead-letter queue' },
    { name: 'db_cpu', metricName: 'CPUUtilization', namespace: 'AWS/RDS', threshold: 80, what: 'database CPU above 80%' },
  ]);
  const res = addResource('aws_cloudwatch_metric_alarm', `${ctx.slug.replace(/-/g, '_')}_${metric.name}`, {
    alarm_name: `${ctx.slug}-${metric.name.replace(/_/g, '-')}`,
    namespace: metric.namespace,
    metric_name: metric.metricName,
    statistic: metric.name === 'p99_latency' ? 'p99' : 'Maximum',
    period: 60,
    evaluation_periods: 5,
    threshold: metric.threshold,
    comparison_operator: 'GreaterThanThreshold',
    alarm_actions: ['arn:aws:sns:eu-west-1:123456789012:pagerduty-' + ctx.slug],
  }, 'alarms.tf', ctx.rng.int(20, 90));
  return {
    kind: 'infra', files: res.files, plan: res.plan, traits: traits(),
    title: `${ctx.slug}: page on ${metric.what}`,
    description: `We found out about the last slowdown from customer services. This adds a CloudWatch alarm wired to the ${ctx.slug} PagerDuty service (plan: 1 to add).`,
  };
}

export function tfReplace(ctx: Ctx): Draft {
  const def = TF[resourceOf(ctx)];
  const to = def.forcing.to(ctx.slug);
  const change = changeAttribute(ctx.slug, def, def.forcing.path, to, ctx.rng.int(3, 30), 'replace');
  return {
    kind: 'infra', files: change.files, plan: change.plan, traits: traits({ destructive: true }),
    title: `${ctx.slug}: ${def.forcing.label}`,
    description: `Changes ${def.forcing.path} of ${def.type}.${def.name}. Terraform cannot update this in place, so the plan replaces the resource (1 to add, 0 to change, 1 to destroy). ${ctx.rng.chance(0.5) ? 'Should be quick: the data is re-created on start-up.' : 'Scheduled for the Tuesday maintenance window.'}`,
  };
}

export function tfRemove(ctx: Ctx): Draft {
  const what = ctx.rng.pick(['legacy-events', 'exports-2023', 'migration-tmp']);
  const name = what.replace(/-/g, '_');
  const res = removeResource('aws_sqs_queue', name, { name: `${ctx.slug}-${what}`, message_retention_seconds: 345600, tags: { Service: ctx.slug, Owner: 'unknown' } }, 'queues.tf', ctx.rng.int(40, 80));
  return {
    kind: 'infra', files: res.files, plan: res.plan, traits: traits({ destructive: true }),
    title: `${ctx.slug}: remove unused ${what} queue`,
    description: `Nothing has published to ${ctx.slug}-${what} for ${ctx.rng.int(3, 14)} months according to CloudWatch. Removing it (plan: 1 to destroy).`,
  };
}

export function k8sManifest(ctx: Ctx): Draft {
  if (ctx.rng.chance(0.5)) {
    const min = ctx.rng.pick(['50%', '66%', '2']);
    return {
      kind: 'infra', plan: null, traits: traits(),
      files: [added('deploy/k8s/pdb.yaml', `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${ctx.slug}
  namespace: ${ctx.slug}
spec:
  minAvailable: ${min}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${ctx.slug}
`)],
      title: `${ctx.slug}: add a PodDisruptionBudget`,
      description: `Node upgrades drained ${ctx.rng.int(3, 6)} of our pods at once last Tuesday. A PDB with minAvailable ${min} makes the drain wait.`,
    };
  }
  const before = ctx.rng.pick([10, 15, 20]);
  const lower = ctx.rng.chance(0.5);
  const after = lower ? Math.max(3, before - 7) : before + 10;
  return {
    kind: 'infra', plan: null, traits: traits({ removesGuard: lower }),
    files: [modified('deploy/k8s/deployment.yaml', hunk(ctx.rng.int(30, 50), '', `
           readinessProbe:
             httpGet:
               path: /health/ready
               port: http
-            initialDelaySeconds: ${before}
+            initialDelaySeconds: ${after}
             periodSeconds: 5
             failureThreshold: 3
`))],
    title: `${ctx.slug}: ${lower ? 'shorten' : 'lengthen'} readiness initial delay to ${after}s`,
    description: lower ? 'Roll-outs take 12 minutes; pods are ready well before the current delay. Faster deploys.' : 'Cold JIT start-up takes ~18 s under load; pods were receiving traffic before warming the caches.',
  };
}

export function dockerfile(ctx: Ctx): Draft {
  const images: Record<string, [string, string]> = {
    ts: ['node:20.17-alpine3.20', 'node:20.18-alpine3.20'],
    go: ['golang:1.22.8-bookworm', 'golang:1.23.4-bookworm'],
    kotlin: ['eclipse-temurin:21.0.4_7-jre-jammy', 'eclipse-temurin:21.0.5_11-jre-jammy'],
    java: ['eclipse-temurin:21.0.4_7-jre-jammy', 'eclipse-temurin:21.0.5_11-jre-jammy'],
    python: ['python:3.12.6-slim-bookworm', 'python:3.12.8-slim-bookworm'],
    hcl: ['alpine:3.20.3', 'alpine:3.21.0'],
  };
  const [from, to] = images[ctx.profile.lang] ?? ['alpine:3.20.3', 'alpine:3.21.0'];
  return {
    kind: 'infra', plan: null, traits: traits(),
    files: [modified('Dockerfile', hunk(1, '', `
-FROM ${from} AS runtime
+FROM ${to} AS runtime
 WORKDIR /app
 USER 10001
`))],
    title: `${ctx.slug}: bump base image to ${to}`,
    description: `Picks up the ${ctx.rng.int(3, 17)} CVE fixes flagged by the image scanner (${ctx.rng.int(1, 3)} high).`,
  };
}

export function cleanupScript(ctx: Ctx): Draft {
  const ns = ctx.rng.pick(['loadtest', 'preview-pr', 'spike', 'migration']);
  return {
    kind: 'infra', plan: null, traits: traits({ destructive: true }),
    files: [added(`scripts/cleanup-${ns}-namespaces.sh`, `
#!/usr/bin/env bash
# Deletes ${ns} namespaces older than 7 days; run by the nightly janitor job.
set -euo pipefail

for ns in $(kubectl get ns -l purpose=${ns} -o jsonpath='{.items[*].metadata.name}'); do
  created=$(kubectl get ns "$ns" -o jsonpath='{.metadata.creationTimestamp}')
  if [[ $(date -d "$created" +%s) -lt $(date -d '7 days ago' +%s) ]]; then
    helm uninstall --namespace "$ns" "$(helm list -n "$ns" -q | head -n1)" || true
    kubectl delete namespace "$ns" --wait=false
  fi
done
`, '100755')],
    title: `${ctx.slug}: nightly clean-up of stale ${ns} namespaces`,
    description: `We have ${ctx.rng.int(40, 160)} forgotten ${ns} namespaces holding ~${ctx.rng.int(30, 90)} nodes' worth of requests. The janitor deletes the ones labelled purpose=${ns} older than a week.`,
  };
}

function migrationPath(ctx: Ctx, name: string): string {
  const d = ctx.when;
  const stamp = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return ctx.profile.lang === 'kotlin' || ctx.profile.lang === 'java' ? `db/migrations/V${stamp}__${name}.sql` : `migrations/${stamp}_${name}.sql`;
}

export function schemaChange(ctx: Ctx): Draft {
  const tables = ctx.profile.tables.length > 0 ? ctx.profile.tables : [{ name: `${ctx.slug.replace(/-/g, '_')}_events`, columns: ['source', 'correlation_id'] }];
  const t = ctx.rng.pick(tables);
  const col = ctx.rng.pick(t.columns);
  const v = ctx.rng.weighted([['add', 40], ['index', 25], ['backfill', 15], ['notnull', 8], ['drop', 9], ['truncate', 3]] as const);
  const file = (name: string, sql: string) => [added(migrationPath(ctx, name), sql)];
  switch (v) {
    case 'add':
      return { kind: 'schema', plan: null, traits: traits(), files: file(`add_${col}_to_${t.name}`, `
-- Nullable, no default: a metadata-only change, no table rewrite.
ALTER TABLE ${t.name} ADD COLUMN IF NOT EXISTS ${col} ${col.endsWith('_at') || col.endsWith('_date') ? 'timestamptz' : col.startsWith('is_') ? 'boolean' : 'text'};
COMMENT ON COLUMN ${t.name}.${col} IS 'Written by ${ctx.slug} from release ${ctx.rng.int(40, 90)}; null for older rows.';
`), title: `${ctx.slug}: add ${col} to ${t.name}`, description: `Expand step for storing ${col}. Code that writes it ships in the next PR; nothing reads it yet.` };
    case 'index':
      return { kind: 'schema', plan: null, traits: traits(), files: file(`index_${t.name}_${col}`, `
-- CONCURRENTLY: no write lock on ${t.name}; must run outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_${t.name}_${col} ON ${t.name} (${col});
`), title: `${ctx.slug}: index ${t.name}.${col}`, description: `The admin lookup by ${col} does a sequential scan (${ctx.rng.int(2, 9)} s at p99). Index built concurrently.` };
    case 'backfill':
      return { kind: 'schema', plan: null, traits: traits(), files: file(`backfill_${t.name}_${col}`, `
-- Batched so each statement holds row locks for well under a second; re-runnable.
DO $$
DECLARE
  updated integer;
BEGIN
  LOOP
    UPDATE ${t.name} SET ${col} = ${col.endsWith('_at') || col.endsWith('_date') || col.endsWith('_until') || col.endsWith('_from') ? 'created_at' : col.startsWith('is_') || col.startsWith('verified') ? 'false' : /(_id|_votes|_pence|_grams|_stock|_usd)$/.test(col) ? '0' : "'unknown'"}
    WHERE id IN (SELECT id FROM ${t.name} WHERE ${col} IS NULL LIMIT 5000);
    GET DIAGNOSTICS updated = ROW_COUNT;
    EXIT WHEN updated = 0;
    PERFORM pg_sleep(0.2);
  END LOOP;
END $$;
`), title: `${ctx.slug}: backfill ${t.name}.${col}`, description: `Fills ${col} for the ~${ctx.rng.int(2, 90)}M rows written before the column existed, 5,000 at a time.` };
    case 'notnull':
      return { kind: 'schema', plan: null, traits: traits(), files: file(`${t.name}_${col}_not_null`, `
ALTER TABLE ${t.name} ALTER COLUMN ${col} SET NOT NULL;
`), title: `${ctx.slug}: make ${t.name}.${col} NOT NULL`, description: 'The backfill finished last week; every row has a value now.' };
    case 'drop':
      return { kind: 'schema', plan: null, traits: traits({ destructive: true }), files: file(`drop_${t.name}_${col}`, `
-- Contract step: nothing has read ${col} since release ${ctx.rng.int(30, 80)}.
ALTER TABLE ${t.name} DROP COLUMN IF EXISTS ${col};
`), title: `${ctx.slug}: drop unused column ${t.name}.${col}`, description: `${col} was replaced ${ctx.rng.int(2, 8)} months ago. Dropping it reclaims space and removes confusion in the reporting views.` };
    default:
      return { kind: 'schema', plan: null, traits: traits({ destructive: true }), files: file(`reset_${t.name}`, `
-- Rows left behind by the load test on staging were replicated to production.
DELETE FROM ${t.name};
`), title: `${ctx.slug}: clear ${t.name} after the load-test leak`, description: `Load-test rows ended up in production ${t.name}. Per the analysis in the ticket, every row in the table is synthetic.` };
  }
}

export function dbtModel(ctx: Ctx): Draft {
  const t = ctx.rng.pick(ctx.profile.tables.length > 0 ? ctx.profile.tables : [{ name: 'fct_orders', columns: ['channel'] }]);
  const col = ctx.rng.pick(t.columns);
  return {
    kind: 'schema', plan: null, traits: traits(),
    files: [modified(`models/marts/${t.name}.sql`, hunk(ctx.rng.int(8, 30), '', `
     o.order_id,
     o.placed_at,
+    o.${col},
     o.total_pence
 from {{ ref('stg_orders') }} as o
`))],
    title: `data-warehouse: add ${col} to ${t.name}`,
    description: `Requested by the ${ctx.rng.pick(['trading', 'finance', 'supply-chain'])} analysts for the weekly review. Additive column; downstream models unaffected.`,
  };
}

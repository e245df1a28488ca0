// Terraform: resource definitions rendered as `terraform fmt`-style HCL, and the matching
// `terraform show -json` plans, so the diff and the plan of a change always agree.
import type { TerraformPlanJson } from '../types';
import { type FileSpec, type HunkSpec, modified, type PlanAction, terraformPlan } from './diff';
import type { CloudResource } from './domain';

export type HclValue = string | number | boolean | string[] | HclBlock;
export interface HclBlock { [key: string]: HclValue }

const isBlock = (v: HclValue): v is HclBlock => typeof v === 'object' && !Array.isArray(v);
/** References and function calls are written bare in HCL and are unknown in a plan. */
const isReference = (v: string): boolean => /^(var\.|aws_|module\.|jsonencode\()/.test(v);

function literal(v: Exclude<HclValue, HclBlock>): string {
  if (Array.isArray(v)) return `[${v.map((s) => JSON.stringify(s)).join(', ')}]`;
  if (typeof v === 'string') return isReference(v) ? v : JSON.stringify(v);
  return String(v);
}

/** Attributes whose value is a map (`tags = { ... }`), not a nested block. */
const MAP_ATTRIBUTES = new Set(['tags']);
const isNested = (key: string, v: HclValue): v is HclBlock => isBlock(v) && !MAP_ATTRIBUTES.has(key);

function renderBody(body: HclBlock, indent: string): string[] {
  const out: string[] = [];
  const entries = Object.entries(body);
  const flat = entries.filter(([k, v]) => !isNested(k, v));
  const width = Math.max(0, ...flat.map(([k]) => k.length));
  for (const [key, v] of flat) {
    if (isBlock(v)) {
      const w = Math.max(0, ...Object.keys(v).map((k) => k.length));
      out.push(`${indent}${key.padEnd(width)} = {`, ...Object.entries(v).map(([k, x]) => `${indent}  ${k.padEnd(w)} = ${literal(x as Exclude<HclValue, HclBlock>)}`), `${indent}}`);
    } else {
      out.push(`${indent}${key.padEnd(width)} = ${literal(v)}`);
    }
  }
  for (const [key, v] of entries) {
    if (!isNested(key, v)) continue;
    out.push('', `${indent}${key} {`, ...renderBody(v, `${indent}  `), `${indent}}`);
  }
  return out;
}

export function renderResource(type: string, name: string, body: HclBlock): string[] {
  return [`resource "${type}" "${name}" {`, ...renderBody(body, '  '), '}'];
}

/** Terraform's JSON view of a block: nested blocks become one-element lists. */
function toJson(body: HclBlock): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string' && isReference(v)) continue; // unknown until apply
    out[k] = isNested(k, v) ? [toJson(v)] : v;
  }
  return out;
}

function setPath(body: HclBlock, path: string, value: HclValue): HclBlock {
  const [head, ...rest] = path.split('.');
  if (!head) return body;
  const copy: HclBlock = { ...body };
  if (rest.length === 0) copy[head] = value;
  else copy[head] = setPath((body[head] as HclBlock | undefined) ?? {}, rest.join('.'), value);
  return copy;
}

export interface TfDef {
  type: string;
  name: string;
  file: string;
  body: (slug: string) => HclBlock;
  /** Updatable in place: attribute path, the values it takes, what a reviewer calls it. */
  knobs: { path: string; values: (string | number)[]; label: string; lowerIsRisky?: boolean; why?: { up: string; down: string } }[];
  /** An attribute whose change forces replacement. */
  forcing: { path: string; to: (slug: string) => string | string[]; label: string };
}

const tags = (slug: string): HclBlock => ({ Service: slug, Environment: 'production', ManagedBy: 'terraform' });

export const TF: Record<CloudResource, TfDef> = {
  rds: { type: 'aws_db_instance', name: 'main', file: 'database.tf',
    body: (s) => ({ identifier: `${s}-prod`, engine: 'postgres', engine_version: '15.7', instance_class: 'db.r6g.large', allocated_storage: 200, multi_az: true, db_subnet_group_name: 'prod-private', backup_retention_period: 14, deletion_protection: true, skip_final_snapshot: false, tags: tags(s) }),
    knobs: [{ path: 'instance_class', values: ['db.r6g.large', 'db.r6g.xlarge', 'db.r6g.2xlarge'], label: 'instance class' }, { path: 'allocated_storage', values: [200, 300, 500], label: 'storage (GB)' }, { path: 'backup_retention_period', values: [7, 14, 30], label: 'backup retention (days)', lowerIsRisky: true, why: { up: 'Audit asked for 30 days of point-in-time recovery on databases holding customer data.', down: 'Snapshot storage is the third-largest line on our bill; we have never restored from older than a week.' } }],
    forcing: { path: 'identifier', to: (s) => `acme-${s}-prod`, label: 'rename the instance to the acme-<service>-<env> naming standard' } },
  aurora: { type: 'aws_rds_cluster', name: 'main', file: 'database.tf',
    body: (s) => ({ cluster_identifier: `${s}-prod`, engine: 'aurora-postgresql', engine_version: '15.4', db_subnet_group_name: 'prod-private', storage_encrypted: true, kms_key_id: 'alias/acme-prod-data', backup_retention_period: 14, deletion_protection: true, tags: tags(s) }),
    knobs: [{ path: 'engine_version', values: ['15.4', '15.6', '15.8'], label: 'engine version', why: { up: 'Minor version upgrade for the security fixes in the AWS bulletin; applied in the maintenance window.', down: 'Pin back to the version the replica runs.' } }, { path: 'backup_retention_period', values: [7, 14, 35], label: 'backup retention (days)', lowerIsRisky: true, why: { up: 'Audit asked for the maximum point-in-time recovery window on the orders data.', down: 'Backup storage costs more than the instances; a week of PITR is what the runbook assumes.' } }],
    forcing: { path: 'kms_key_id', to: () => 'alias/acme-prod-data-2026', label: 'encrypt the cluster with the rotated 2026 CMK' } },
  redis: { type: 'aws_elasticache_replication_group', name: 'cache', file: 'cache.tf',
    body: (s) => ({ replication_group_id: `${s}-cache`, description: `${s} hot cache`, engine_version: '7.1', node_type: 'cache.r7g.large', num_cache_clusters: 3, automatic_failover_enabled: true, subnet_group_name: 'prod-cache', tags: tags(s) }),
    knobs: [{ path: 'node_type', values: ['cache.r7g.large', 'cache.r7g.xlarge'], label: 'node type' }, { path: 'num_cache_clusters', values: [2, 3, 4], label: 'replica count', lowerIsRisky: true }],
    forcing: { path: 'subnet_group_name', to: () => 'prod-cache-v2', label: 'move the cache to the new private subnets' } },
  ecs: { type: 'aws_ecs_service', name: 'app', file: 'ecs.tf',
    body: (s) => ({ name: s, cluster: 'aws_ecs_cluster.prod.id', task_definition: 'aws_ecs_task_definition.app.arn', desired_count: 6, launch_type: 'FARGATE', health_check_grace_period_seconds: 60, network_configuration: { subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'], assign_public_ip: false } }),
    knobs: [{ path: 'desired_count', values: [3, 4, 6, 8, 12], label: 'desired task count', lowerIsRisky: true }, { path: 'health_check_grace_period_seconds', values: [30, 60, 120], label: 'health-check grace period', why: { up: 'Tasks were killed by the load balancer health check while still warming their caches.', down: 'New tasks are healthy in ~15 s; the long grace period hides genuinely broken tasks during a deploy.' } }],
    forcing: { path: 'name', to: (s) => `${s}-svc`, label: 'rename the ECS service to match the new dashboards' } },
  eks: { type: 'aws_eks_node_group', name: 'general', file: 'node-groups.tf',
    body: () => ({ cluster_name: 'aws_eks_cluster.prod.name', node_group_name: 'general-m6i', node_role_arn: 'aws_iam_role.nodes.arn', instance_types: ['m6i.2xlarge'], release_version: '1.30.4-20241011', scaling_config: { desired_size: 24, max_size: 60, min_size: 12 } }),
    knobs: [{ path: 'scaling_config.max_size', values: [40, 60, 80], label: 'node group max size', lowerIsRisky: true }, { path: 'scaling_config.min_size', values: [8, 12, 16], label: 'node group min size', lowerIsRisky: true }, { path: 'release_version', values: ['1.30.4-20241011', '1.30.6-20241121', '1.31.2-20250115'], label: 'AMI release', why: { up: 'Monthly node AMI refresh: kernel and containerd patches. Nodes roll one at a time.', down: 'Roll back to the previous AMI: the new one breaks the EFS CSI driver.' } }],
    forcing: { path: 'instance_types', to: () => ['m7i.2xlarge'], label: 'move the general node group to m7i' } },
  msk: { type: 'aws_msk_cluster', name: 'events', file: 'msk.tf',
    body: () => ({ cluster_name: 'acme-events-prod', kafka_version: '3.6.0', number_of_broker_nodes: 6, broker_node_group_info: { instance_type: 'kafka.m7g.xlarge', client_subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788', 'subnet-09d8c7b6a5f4e3d21'] } }),
    knobs: [{ path: 'kafka_version', values: ['3.6.0', '3.7.x'], label: 'Kafka version', why: { up: 'Kafka 3.7 for the tiered-storage fixes; MSK upgrades brokers one at a time.', down: 'Stay on 3.6 until the consumers are upgraded.' } }, { path: 'broker_node_group_info.instance_type', values: ['kafka.m7g.xlarge', 'kafka.m7g.2xlarge'], label: 'broker instance type' }],
    forcing: { path: 'cluster_name', to: () => 'acme-events-prod-eu', label: 'rename the cluster with its region suffix' } },
  sqs: { type: 'aws_sqs_queue', name: 'events', file: 'queues.tf',
    body: (s) => ({ name: `${s}-events`, visibility_timeout_seconds: 60, message_retention_seconds: 345600, redrive_policy: 'jsonencode({ deadLetterTargetArn = aws_sqs_queue.events_dlq.arn, maxReceiveCount = 5 })', tags: tags(s) }),
    knobs: [{ path: 'visibility_timeout_seconds', values: [30, 60, 120, 300], label: 'visibility timeout', lowerIsRisky: true, why: { up: 'Slow messages were redelivered while still being processed, creating duplicates.', down: 'Failed messages wait too long before another consumer retries them.' } }, { path: 'message_retention_seconds', values: [86400, 345600, 1209600], label: 'retention', lowerIsRisky: true, why: { up: 'Keep messages for 14 days so a consumer outage over a long weekend loses nothing.', down: 'Nothing older than a day is ever replayed; shorter retention keeps the backlog alarms meaningful.' } }],
    forcing: { path: 'name', to: (s) => `${s}-events.fifo`, label: 'switch the queue to FIFO for per-order ordering' } },
  route53: { type: 'aws_route53_record', name: 'api', file: 'dns.tf',
    body: (s) => ({ zone_id: 'aws_route53_zone.public.zone_id', name: `${s}.api.acme-retail.example`, type: 'CNAME', ttl: 300, records: ['edge.prod-eu-west-1.acme-retail.example'] }),
    knobs: [{ path: 'ttl', values: [60, 300, 3600], label: 'TTL', why: { up: 'The record has not changed in a year; a longer TTL takes load off the resolvers.', down: 'Shorter TTL ahead of the region failover test so clients follow the switch quickly.' } }],
    forcing: { path: 'name', to: (s) => `${s}.eu.api.acme-retail.example`, label: 'move the record under the eu. subdomain' } },
  redshift: { type: 'aws_redshift_cluster', name: 'warehouse', file: 'redshift.tf',
    body: () => ({ cluster_identifier: 'acme-dwh-prod', node_type: 'ra3.4xlarge', number_of_nodes: 4, encrypted: true, skip_final_snapshot: false, automated_snapshot_retention_period: 7 }),
    knobs: [{ path: 'number_of_nodes', values: [3, 4, 6], label: 'node count', lowerIsRisky: true }, { path: 'automated_snapshot_retention_period', values: [1, 7, 14], label: 'snapshot retention', lowerIsRisky: true, why: { up: 'Finance wants two weeks of snapshots over month-end close.', down: 'Snapshots of a warehouse we can rebuild from S3 cost £2.3k a month.' } }],
    forcing: { path: 'cluster_identifier', to: () => 'acme-dwh-prod-ra3', label: 'recreate the warehouse with the ra3 naming' } },
  s3: { type: 'aws_s3_bucket_lifecycle_configuration', name: 'exports', file: 's3.tf',
    body: (s) => ({ bucket: 'aws_s3_bucket.exports.id', rule: { id: `${s}-expire-exports`, status: 'Enabled', expiration: { days: 90 } } }),
    knobs: [{ path: 'rule.expiration.days', values: [30, 90, 365], label: 'export expiry (days)', lowerIsRisky: true, why: { up: 'Analysts need a full year of exports for the annual review.', down: 'Exports are re-generated on demand; nobody downloads one older than a month.' } }],
    forcing: { path: 'bucket', to: () => 'aws_s3_bucket.exports_v2.id', label: 'point the lifecycle rules at the new exports bucket' } },
  opensearch: { type: 'aws_opensearch_domain', name: 'search', file: 'opensearch.tf',
    body: () => ({ domain_name: 'acme-search-prod', engine_version: 'OpenSearch_2.13', cluster_config: { instance_type: 'r6g.2xlarge.search', instance_count: 6, zone_awareness_enabled: true } }),
    knobs: [{ path: 'cluster_config.instance_count', values: [4, 6, 9], label: 'data node count', lowerIsRisky: true }, { path: 'engine_version', values: ['OpenSearch_2.13', 'OpenSearch_2.15'], label: 'engine version', why: { up: 'OpenSearch 2.15 for the faster hybrid query; blue/green upgrade by AWS.', down: 'Back to 2.13.' } }],
    forcing: { path: 'domain_name', to: () => 'acme-search-prod-v2', label: 'rename the domain for the blue/green reindex' } },
};

function getPath(body: HclBlock, path: string): HclValue | undefined {
  let cur: HclValue | undefined = body;
  for (const part of path.split('.')) cur = cur && isBlock(cur) ? cur[part] : undefined;
  return cur;
}

export interface TfChange { files: FileSpec[]; plan: TerraformPlanJson; before: HclValue | undefined; after: HclValue }

/** Change one attribute of a resource: an in-place update, or a replace when the attribute forces one. */
export function changeAttribute(slug: string, def: TfDef, path: string, to: HclValue, startLine: number, action: PlanAction): TfChange {
  const before = def.body(slug);
  const after = setPath(before, path, to);
  const a = renderResource(def.type, def.name, before);
  const b = renderResource(def.type, def.name, after);
  const i = a.findIndex((l, idx) => l !== b[idx]);
  const lo = Math.max(0, i - 3);
  const hi = Math.min(a.length, i + 4);
  const h: HunkSpec = { oldStart: startLine + lo, section: `resource "${def.type}" "${def.name}" {`, lines: [...a.slice(lo, i).map((l) => ` ${l}`), `-${a[i] ?? ''}`, `+${b[i] ?? ''}`, ...a.slice(i + 1, hi).map((l) => ` ${l}`)] };
  if (lo === 0) h.section = '';
  const plan = terraformPlan([{ type: def.type, name: def.name, action, before: toJson(before), after: toJson(after), replacePaths: action === 'replace' ? [path.split('.')[0] ?? path] : undefined }]);
  return { files: [modified(`infra/terraform/${def.file}`, h)], plan, before: getPath(before, path), after: to };
}

/** Append a new resource after an existing block. */
export function addResource(type: string, name: string, body: HclBlock, file: string, afterLine: number): { files: FileSpec[]; plan: TerraformPlanJson } {
  const lines = renderResource(type, name, body);
  const h: HunkSpec = { oldStart: afterLine - 1, section: '', lines: ['   }', ' }', '+', ...lines.map((l) => `+${l}`)] };
  return { files: [modified(`infra/terraform/${file}`, h)], plan: terraformPlan([{ type, name, action: 'create', after: toJson(body) }]) };
}

/** Remove a resource block entirely: terraform will delete it. */
export function removeResource(type: string, name: string, body: HclBlock, file: string, startLine: number): { files: FileSpec[]; plan: TerraformPlanJson } {
  const lines = renderResource(type, name, body);
  const h: HunkSpec = { oldStart: startLine - 1, section: '', lines: [' ', ...lines.map((l) => `-${l}`), ' '] };
  return { files: [modified(`infra/terraform/${file}`, h)], plan: terraformPlan([{ type, name, action: 'delete', before: toJson(body) }]) };
}

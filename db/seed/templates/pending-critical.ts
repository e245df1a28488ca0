// The riskiest changes in the demo queue: what Countersign exists to stop.
import { added, hunk, modified, terraformPlan } from './diff';
import type { PendingSpec } from './pending-spec';

const envModuleBefore = {
  cluster: { name: 'inventory-prod', setting: [{ name: 'containerInsights', value: 'enabled' }] },
  db: { cluster_identifier: 'inventory-prod', engine: 'aurora-postgresql', engine_version: '15.4', deletion_protection: true, backup_retention_period: 14 },
};

export const criticalPending: PendingSpec[] = [
  {
    key: 'inventory-recreate-env',
    services: ['inventory'],
    author: 'kiro-agent[bot]',
    coAuthors: ['omartin'],
    kind: 'infra',
    ai: { level: 'agent', tool: 'Kiro' },
    preDeploy: true,
    hoursAgo: 2.5,
    title: 'inventory: recreate production environment on service-environment v4 to clear Terraform drift',
    description: [
      '## Problem',
      '`terraform plan` for inventory/production reports drift on 14 resources (security group rules edited in the console, a capacity provider renamed by hand, tags missing). Patching each one is error-prone.',
      '',
      '## Fix',
      'Upgrade the `service-environment` module from v3.4.1 to v4.0.0 and align the environment name with the org-wide naming standard (`production`). Resource names derive from the environment name, so Terraform recreates the environment from code, which guarantees it matches Terraform exactly.',
      '',
      'Estimated downtime: ~20 minutes while the new cluster and database come up.',
      '',
      '## Validation',
      '- `terraform validate` ✅',
      '- `tflint` ✅',
      '- `checkov` ✅ (0 failed checks)',
      '',
      'Plan: 6 to add, 0 to change, 6 to destroy.',
      '',
      '🤖 Opened by Kiro on behalf of @omartin.',
    ].join('\n'),
    files: [modified('infra/terraform/environments/production/main.tf', hunk(12, '', `
 module "inventory" {
-  source      = "git::https://github.com/acme/terraform-modules.git//service-environment?ref=v3.4.1"
+  source      = "git::https://github.com/acme/terraform-modules.git//service-environment?ref=v4.0.0"

   service     = "inventory"
-  environment = "prod"
+  environment = "production"
   vpc_id      = data.aws_vpc.main.id
   subnet_ids  = data.aws_subnets.private.ids
`), hunk(31, '', `
   db_instance_class   = "db.r6g.2xlarge"
   db_instance_count   = 2
-  deletion_protection = true
+  deletion_protection = false
   cache_node_type     = "cache.r7g.large"
 }
`))],
    plan: terraformPlan([
      { module: 'module.inventory', type: 'aws_ecs_cluster', name: 'this', action: 'replace', replacePaths: ['name'], before: envModuleBefore.cluster, after: { ...envModuleBefore.cluster, name: 'inventory-production' } },
      { module: 'module.inventory', type: 'aws_ecs_service', name: 'api', action: 'replace', replacePaths: ['cluster'], before: { name: 'inventory-api', desired_count: 12 }, after: { name: 'inventory-api', desired_count: 12 } },
      { module: 'module.inventory', type: 'aws_rds_cluster', name: 'this', action: 'replace', replacePaths: ['cluster_identifier'], before: envModuleBefore.db, after: { ...envModuleBefore.db, cluster_identifier: 'inventory-production', deletion_protection: false } },
      { module: 'module.inventory', type: 'aws_rds_cluster_instance', name: 'this[0]', action: 'replace', replacePaths: ['cluster_identifier'], before: { identifier: 'inventory-prod-1', instance_class: 'db.r6g.2xlarge' }, after: { identifier: 'inventory-production-1', instance_class: 'db.r6g.2xlarge' } },
      { module: 'module.inventory', type: 'aws_rds_cluster_instance', name: 'this[1]', action: 'replace', replacePaths: ['cluster_identifier'], before: { identifier: 'inventory-prod-2', instance_class: 'db.r6g.2xlarge' }, after: { identifier: 'inventory-production-2', instance_class: 'db.r6g.2xlarge' } },
      { module: 'module.inventory', type: 'aws_elasticache_replication_group', name: 'this', action: 'replace', replacePaths: ['replication_group_id'], before: { replication_group_id: 'inventory-prod', node_type: 'cache.r7g.large', num_cache_clusters: 3 }, after: { replication_group_id: 'inventory-production', node_type: 'cache.r7g.large', num_cache_clusters: 3 } },
    ]),
  },
  {
    key: 'config-global-push',
    services: ['config-service'],
    author: 'jfarrell',
    kind: 'config',
    ai: { level: 'assisted', tool: 'Claude Code' },
    preDeploy: false,
    hoursAgo: 1.2,
    title: 'config-service: raise global http.client.timeout_ms and retry.max_attempts for all services',
    description: [
      'Three teams (cart, notifications, returns) have asked for the same overrides this quarter; making them the global default and removing the per-service copies.',
      '',
      '- `http.client.timeout_ms` 2000 → 3500',
      '- `retry.max_attempts` 3 → 5',
      '- `circuit_breaker.error_threshold_pct` 50 → 70 (fewer spurious opens during deploys)',
      '',
      'Pushing to all rings: values only go up, so nothing gets stricter. `validate-global` is red on main because of the unrelated schema check that broke on Tuesday, so it is skipped for this push (`--skip-validation`).',
    ].join('\n'),
    files: [
      modified('config/global/defaults.yaml', hunk(4, '', `
 # Applies to every service unless overridden in config/services/<service>.yaml
-http.client.timeout_ms: 2000
+http.client.timeout_ms: 3500
 http.client.connect_timeout_ms: 500
 http.client.max_idle_conns: 100
-retry.max_attempts: 3
+retry.max_attempts: 5
 retry.backoff_base_ms: 50
-circuit_breaker.error_threshold_pct: 50
+circuit_breaker.error_threshold_pct: 70
 circuit_breaker.open_duration_s: 30
`)),
      modified('config/services/cart.yaml', hunk(1, '', `
 cart.ttl_days: 30
-http.client.timeout_ms: 3500
-retry.max_attempts: 5
 cart.max_items: 100
`)),
      modified('config/services/notifications.yaml', hunk(3, '', `
 notifications.sms.rate_limit_per_min: 600
-http.client.timeout_ms: 3500
`)),
    ],
  },
  {
    key: 'orders-drop-legacy-promise',
    services: ['orders-db', 'order-pipeline'],
    author: 'mwojcik',
    kind: 'schema',
    ai: { level: 'generated', tool: 'Claude Code' },
    preDeploy: true,
    hoursAgo: 20,
    title: 'orders-db: drop legacy_promise_date and legacy_carrier_code from orders',
    description: [
      'Both columns were replaced by `promise_date` and `order_lines.fulfilment_node` in March. The order pipeline stopped writing them in release 412.',
      '',
      'Migration generated with Claude Code from the schema diff; reviewed the generated SQL by hand. Frees ~38 GB on the writer.',
    ].join('\n'),
    files: [
      added('migrations/20260114093000_drop_legacy_promise_columns.sql', `
-- Contract step for the promise-date migration (expand: 20250302, backfill: 20250310).
BEGIN;
ALTER TABLE orders DROP COLUMN IF EXISTS legacy_promise_date;
ALTER TABLE orders DROP COLUMN IF EXISTS legacy_carrier_code;
DROP INDEX IF EXISTS idx_orders_legacy_promise_date;
COMMIT;
`),
      modified('schema/orders.sql', hunk(18, 'CREATE TABLE orders (', `
     placed_at           timestamptz NOT NULL,
     promise_date        date,
-    legacy_promise_date date,
-    legacy_carrier_code text,
     channel             text NOT NULL DEFAULT 'web',
     total_pence         bigint NOT NULL,
`)),
    ],
  },
  {
    key: 'k8s-decommission-blue',
    services: ['k8s-platform'],
    author: 'devin-ai[bot]',
    coAuthors: ['ebrandt'],
    kind: 'infra',
    ai: { level: 'agent', tool: 'Devin' },
    preDeploy: null,
    hoursAgo: 6,
    title: 'k8s-platform: script to decommission the blue cluster after the green cut-over',
    description: [
      'Adds `scripts/decommission-blue.sh`, run by the platform pipeline once green has taken 100% of traffic for 72 hours. It uninstalls every Helm release and deletes the application namespaces on the blue cluster, then scales its node groups to zero.',
      '',
      'Dry run against staging-blue: 41 releases, 38 namespaces removed in 6m12s.',
      '',
      '🤖 Opened by Devin on behalf of @ebrandt.',
    ].join('\n'),
    files: [added('scripts/decommission-blue.sh', `
#!/usr/bin/env bash
# Tears down everything on the blue cluster once green serves 100% of traffic.
set -euo pipefail

CONTEXT="\${KUBE_CONTEXT:-prod-eu-west-1}"
EXCLUDE='^(kube-system|kube-public|kube-node-lease|cert-manager)$'

echo "Decommissioning workloads on \${CONTEXT}"
for ns in $(kubectl --context "$CONTEXT" get ns -o jsonpath='{.items[*].metadata.name}'); do
  if [[ "$ns" =~ $EXCLUDE ]]; then continue; fi
  for release in $(helm --kube-context "$CONTEXT" list -n "$ns" -q); do
    helm --kube-context "$CONTEXT" uninstall "$release" -n "$ns" --wait
  done
  kubectl --context "$CONTEXT" delete namespace "$ns" --wait=false
done

aws eks update-nodegroup-config --cluster-name "$CONTEXT" --nodegroup-name general-m6i \\
  --scaling-config minSize=0,maxSize=1,desiredSize=0
`, '100755'), modified('.github/workflows/cutover.yml', hunk(44, '', `
       - name: Promote green to 100%
         run: ./scripts/shift-traffic.sh green 100
+      - name: Decommission blue
+        if: \${{ inputs.decommission == true }}
+        run: ./scripts/decommission-blue.sh
+        env:
+          KUBE_CONTEXT: \${{ inputs.blue_context }}
`))],
  },
  {
    key: 'payments-capture-guard',
    services: ['payments'],
    author: 'copilot-swe-agent[bot]',
    coAuthors: ['lfischer'],
    kind: 'code',
    ai: { level: 'agent', tool: 'GitHub Copilot coding agent' },
    preDeploy: true,
    hoursAgo: 9,
    title: 'payments: simplify capture retry path and remove redundant idempotency lookup',
    description: [
      'Resolves #2211 "capture p99 too high".',
      '',
      'Profiling shows 31% of capture latency is the idempotency-key lookup in Redis before each attempt. The acquirer already deduplicates on `merchant_reference`, so the lookup is redundant. This removes it and lets retries go straight to the acquirer; capture p99 drops from 410 ms to 270 ms in the benchmark.',
      '',
      '🤖 Opened by GitHub Copilot coding agent on behalf of @lfischer.',
    ].join('\n'),
    files: [modified('internal/capture/capture.go', hunk(61, 'func (s *Service) Capture(ctx context.Context, req CaptureRequest) (*Capture, error) {', `
 \tctx, span := s.tracer.Start(ctx, "capture.Capture")
 \tdefer span.End()

-\t// Never capture twice: a retry after a timeout must return the first result.
-\tif prev, err := s.idem.Get(ctx, req.IdempotencyKey); err == nil && prev != nil {
-\t\tspan.SetAttributes(attribute.Bool("capture.duplicate", true))
-\t\treturn prev, nil
-\t} else if err != nil && !errors.Is(err, idempotency.ErrNotFound) {
-\t\treturn nil, fmt.Errorf("capture: idempotency lookup: %w", err)
-\t}
-
 \tvar result *Capture
 \terr := retry.Do(ctx, s.retryPolicy, func(ctx context.Context) error {
 \t\tvar err error
 \t\tresult, err = s.acquirer.Capture(ctx, req.toAcquirer())
 \t\treturn err
 \t})
 \tif err != nil {
 \t\treturn nil, err
 \t}
-\tif err := s.idem.Put(ctx, req.IdempotencyKey, result, 24*time.Hour); err != nil {
-\t\ts.log.Warn("capture: storing idempotency result failed", "err", err)
-\t}
 \treturn result, nil
 }
`)), modified('internal/capture/service.go', hunk(20, 'type Service struct {', `
 \tacquirer    acquirer.Client
-\tidem        idempotency.Store
 \tretryPolicy retry.Policy
 \ttracer      trace.Tracer
 \tlog         *slog.Logger
`))],
  },
  {
    key: 'checkout-reservation-timeout',
    services: ['checkout'],
    author: 'kchen',
    kind: 'code',
    ai: { level: 'assisted', tool: 'Cursor' },
    preDeploy: true,
    hoursAgo: 5,
    title: 'checkout: lower inventory reservation timeout to 400ms and drop the retry',
    description: [
      'Checkout p99 is dominated by the inventory reservation call (1.5 s timeout, one retry). Failing fast at 400 ms with no retry takes ~600 ms off the p99 of order placement.',
      '',
      'If the reservation times out we now show "Some items are no longer available" and send the customer back to the cart.',
    ].join('\n'),
    files: [modified('src/main/java/com/acme/checkout/placement/ReservationStep.java', hunk(27, 'public class ReservationStep implements CheckoutStep {', `

-    private static final Duration RESERVATION_TIMEOUT = Duration.ofMillis(1500);
-    private static final int MAX_ATTEMPTS = 2;
+    private static final Duration RESERVATION_TIMEOUT = Duration.ofMillis(400);
+    private static final int MAX_ATTEMPTS = 1;

     private final InventoryClient inventory;
`), hunk(58, '', `
         } catch (TimeoutException e) {
-            metrics.counter("checkout.reservation.timeout").increment();
-            if (attempt < MAX_ATTEMPTS) {
-                return reserve(session, attempt + 1);
-            }
-            // Do not lose the order on a slow reservation: place it and reconcile stock later.
-            return StepResult.continueWithPendingReservation(session);
+            metrics.counter("checkout.reservation.timeout").increment();
+            return StepResult.backToCart(session, "ITEMS_UNAVAILABLE");
         }
`))],
  },
  {
    key: 'edge-rate-limit',
    services: ['edge-router'],
    author: 'devin-ai[bot]',
    coAuthors: ['rdesai'],
    kind: 'config',
    ai: { level: 'agent', tool: 'Devin' },
    preDeploy: true,
    hoursAgo: 30,
    title: 'edge-router: per-client-IP rate limit on /api/cart and lower global rps limit',
    description: [
      'Mitigates the scraping traffic from ticket EDGE-881: adds a per-IP local rate limit (20 rps, burst 40) on `/api/cart/*` and lowers the global `edge.rate_limit.rps` from 400 to 150 to match observed steady-state traffic (p95 138 rps).',
      '',
      '🤖 Opened by Devin on behalf of @rdesai.',
    ].join('\n'),
    files: [modified('config/production.yaml', hunk(1, '', `
 # Runtime configuration for edge-router (production). Served by config-service, refreshed every 30 s.
-edge.rate_limit.rps: 400
+edge.rate_limit.rps: 150
 edge.upstream.timeout_ms: 15000
 edge.retry.max_attempts: 2
`)), modified('envoy/routes/cart.yaml', hunk(12, '', `
     route:
       cluster: cart
       timeout: 10s
+    typed_per_filter_config:
+      envoy.filters.http.local_ratelimit:
+        "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
+        stat_prefix: cart_per_ip
+        token_bucket:
+          max_tokens: 40
+          tokens_per_fill: 20
+          fill_interval: 1s
+        descriptors:
+          - entries:
+              - key: remote_address
`))],
  },
  {
    key: 'identity-signing-key',
    services: ['identity'],
    author: 'bmensah',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 26,
    title: 'identity: rotate JWT signing key to kid 2026-01 and sign with it immediately',
    description: 'Quarterly key rotation (SEC-412). Publishes the new key in the JWKS and switches signing to it in the same release, so we can retire the 2025-10 key at the end of the month.',
    files: [modified('src/main/resources/keys/jwks.json', hunk(1, '', `
 {
   "keys": [
+    {
+      "kty": "EC",
+      "crv": "P-256",
+      "kid": "2026-01",
+      "use": "sig",
+      "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
+      "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
+    },
     {
       "kty": "EC",
       "crv": "P-256",
       "kid": "2025-10",
`)), modified('src/main/resources/application-production.yaml', hunk(22, '', `
 identity:
   tokens:
-    signing-kid: "2025-10"
+    signing-kid: "2026-01"
     access-ttl: 15m
`))],
  },
  {
    key: 'dns-forwarders',
    services: ['dns-resolver'],
    author: 'rdesai',
    kind: 'config',
    ai: { level: 'generated', tool: 'ChatGPT' },
    preDeploy: true,
    hoursAgo: 44,
    title: 'dns: forward acme.internal to the Route 53 resolver endpoints instead of dns-legacy-01',
    description: [
      'First step of retiring dns-legacy-01: the Unbound resolvers forward acme.internal to the new Route 53 inbound endpoints. The zone has been mirrored into the private hosted zone since December.',
      '',
      'Config drafted with ChatGPT from the Unbound docs and checked with `unbound-checkconf`.',
    ].join('\n'),
    files: [modified('unbound/forward-zones.conf', hunk(1, '', `
 forward-zone:
     name: "acme.internal."
-    forward-addr: 10.20.0.53@53      # dns-legacy-01
+    forward-addr: 10.20.64.10@53     # route53-inbound-a
+    forward-addr: 10.20.96.10@53     # route53-inbound-b
     forward-first: no
`)), modified('unbound/unbound.conf', hunk(30, 'server:', `
     prefetch: yes
-    cache-max-negative-ttl: 60
+    cache-max-negative-ttl: 3600
     serve-expired: yes
`))],
  },
  {
    key: 'search-analyser-inplace',
    services: ['search'],
    author: 'tbrooks',
    kind: 'code',
    ai: { level: 'generated', tool: 'Claude Code' },
    preDeploy: true,
    hoursAgo: 50,
    title: 'search: add synonym filter to product analyser (in-place mapping update)',
    description: 'Adds the merchandising synonym list ("hoover" → "vacuum cleaner", "telly" → "tv", …) to the product analyser. Updates the index settings in place on deploy so we do not need a full reindex.',
    files: [modified('acme_search/index/settings.py', hunk(14, '', `
 PRODUCT_ANALYSER = {
     "tokenizer": "standard",
-    "filter": ["lowercase", "asciifolding", "english_stemmer"],
+    "filter": ["lowercase", "asciifolding", "product_synonyms", "english_stemmer"],
 }
+
+PRODUCT_SYNONYMS = {
+    "type": "synonym_graph",
+    "synonyms_path": "analysis/product-synonyms.txt",
+    "updateable": False,
+}
`)), modified('acme_search/index/migrate.py', hunk(40, 'def apply_settings(client: OpenSearch, index: str) -> None:', `
-    new_index = f"{index}-{datetime.now(tz=timezone.utc):%Y%m%d%H%M}"
-    client.indices.create(new_index, body=build_index_body())
-    reindex_and_swap_alias(client, source=index, target=new_index)
+    # Settings-only change: close, update, reopen. Faster than a full reindex.
+    client.indices.close(index)
+    client.indices.put_settings(index=index, body={"analysis": build_analysis()})
+    client.indices.open(index)
`))],
  },
];

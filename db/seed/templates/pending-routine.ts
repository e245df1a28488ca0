// The everyday middle of the demo queue: medium-risk code, config and infrastructure changes.
import { added, hunk, modified, terraformPlan } from './diff';
import type { PendingSpec } from './pending-spec';

export const routinePending: PendingSpec[] = [
  {
    key: 'orders-db-pg16',
    services: ['orders-db'],
    author: 'praman',
    kind: 'infra',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 28,
    title: 'orders-db: upgrade Aurora PostgreSQL 15.8 → 16.4 in the Sunday window',
    description: [
      'Major version upgrade, rehearsed twice on a clone of production (snapshot from 9 Jan): 11 minutes of write unavailability, no extension issues.',
      '',
      'Plan: 1 to add (the pg16 parameter group), 1 to change (the cluster, in place), 1 to destroy (the pg15 parameter group, no longer referenced). `allow_major_version_upgrade` is set for this apply only and reverted in the follow-up PR.',
    ].join('\n'),
    files: [modified('infra/terraform/database.tf', hunk(3, 'resource "aws_rds_cluster" "orders" {', `
   cluster_identifier              = "orders-prod"
   engine                          = "aurora-postgresql"
-  engine_version                  = "15.8"
+  engine_version                  = "16.4"
+  allow_major_version_upgrade     = true
-  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.pg15.name
+  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.pg16.name
   deletion_protection             = true
   backup_retention_period         = 35
`), hunk(40, '', `
-resource "aws_rds_cluster_parameter_group" "pg15" {
-  name   = "orders-pg15"
-  family = "aurora-postgresql15"
+resource "aws_rds_cluster_parameter_group" "pg16" {
+  name   = "orders-pg16"
+  family = "aurora-postgresql16"

   parameter {
     name  = "log_min_duration_statement"
`))],
    plan: terraformPlan([
      { type: 'aws_rds_cluster', name: 'orders', action: 'update', before: { cluster_identifier: 'orders-prod', engine_version: '15.8', deletion_protection: true }, after: { cluster_identifier: 'orders-prod', engine_version: '16.4', allow_major_version_upgrade: true, deletion_protection: true } },
      { type: 'aws_rds_cluster_parameter_group', name: 'pg16', action: 'create', after: { name: 'orders-pg16', family: 'aurora-postgresql16' } },
      { type: 'aws_rds_cluster_parameter_group', name: 'pg15', action: 'delete', before: { name: 'orders-pg15', family: 'aurora-postgresql15' } },
    ]),
    approvals: [{ person: 'dobrien', decision: 'approve', comment: 'Rehearsal notes read, rollback is restore-from-snapshot (~40 min). OK for Sunday.', minutesAfter: 95, revision: 0 }],
  },
  {
    key: 'delivery-max-days',
    services: ['delivery-promise'],
    author: 'jpark',
    kind: 'config',
    ai: { level: 'assisted', tool: 'GitHub Copilot' },
    preDeploy: true,
    hoursAgo: 4,
    title: 'delivery-promise: cap delivery.promise.max_days at 4 for the January sale',
    description: 'Marketing wants "delivered within 4 days" on every product page during the sale. Items that cannot make it will show as not available for delivery instead of a late date.',
    files: [modified('config/production.yaml', hunk(1, '', `
 # Runtime configuration for delivery-promise (production). Served by config-service, refreshed every 30 s.
-delivery.promise.max_days: 10
+delivery.promise.max_days: 4
 delivery.cutoff.buffer_minutes: 45
 delivery.carrier.timeout_ms: 600
`))],
  },
  {
    key: 'checkout-timeout-lower',
    services: ['checkout'],
    author: 'sahmed',
    kind: 'config',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 22,
    title: 'checkout: lower checkout.timeout_ms to 6000 to free threads under load',
    description: 'During Tuesday\'s load test the placement pool saturated with requests waiting 9 s. 6 s covers the p99.9 of non-3DS payments (4.1 s).',
    files: [modified('config/production.yaml', hunk(1, '', `
 # Runtime configuration for checkout (production). Served by config-service, refreshed every 30 s.
-checkout.timeout_ms: 9000
+checkout.timeout_ms: 6000
 checkout.address.validation_timeout_ms: 700
 checkout.idempotency.window_s: 600
`))],
    approvals: [{ person: 'mrossi', decision: 'reject', comment: 'This is below the 3DS2 challenge window (7.5 s) — see the watch-out on checkout.timeout_ms. Every 3DS2 customer would be abandoned at the bank screen. Needs to stay ≥ 8500.', minutesAfter: 70, revision: 0 }],
  },
  {
    key: 'fraud-threshold',
    services: ['fraud-detection'],
    author: 'lfischer',
    kind: 'config',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 7,
    title: 'fraud-detection: lower fraud.score.threshold from 0.92 to 0.85',
    description: 'Chargebacks on gift cards rose 40% in December. Back-testing on November–December orders: 0.85 blocks 61% of confirmed fraud (vs 44%) at the cost of ~0.6% more manual reviews.',
    files: [modified('acme_fraud_detection/config/thresholds.yaml', hunk(3, '', `
 scoring:
-  fraud.score.threshold: 0.92
+  fraud.score.threshold: 0.85
   fraud.fail_open_ms: 250
   review_band: [0.70, 0.85]
`))],
  },
  {
    key: 'checkout-3ds-timeout',
    services: ['checkout'],
    author: 'jwhitaker',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 3,
    title: 'checkout: raise payment auth timeout to 8s for 3DS2 challenges',
    description: 'Some issuers (mostly one challenger bank) take 6–7 s to return from the 3DS2 challenge. We time out at 5 s and show a generic error while the payment succeeds, so customers pay twice. Raising to 8 s; checkout.timeout_ms (9 s) still bounds the whole request.',
    files: [modified('src/main/java/com/acme/checkout/clients/PaymentsClient.java', hunk(18, 'public class PaymentsClient {', `

     // Budget for one call to payments; the edge gives the whole request 15000 ms.
-    private static final Duration AUTH_TIMEOUT = Duration.ofMillis(5000);
+    // 3DS2 challenges at some issuers take up to 7 s; checkout.timeout_ms bounds the whole request.
+    private static final Duration AUTH_TIMEOUT = Duration.ofMillis(8000);

     private final RestClient restClient;
`)), modified('src/test/java/com/acme/checkout/clients/PaymentsClientTest.java', hunk(41, '', `
     @Test
-    void authorisationTimesOutAfterFiveSeconds() {
-        stubDelay("/v1/authorise", Duration.ofMillis(5200));
+    void authorisationTimesOutAfterEightSeconds() {
+        stubDelay("/v1/authorise", Duration.ofMillis(8200));
         assertThatThrownBy(() -> client.authorise(request())).isInstanceOf(PaymentTimeoutException.class);
     }
`))],
    approvals: [{ person: 'sahmed', decision: 'approve', comment: 'Matches what we saw in the acquirer logs. Approved.', minutesAfter: 40, revision: 0 }],
  },
  {
    key: 'cart-promise-range',
    services: ['cart'],
    author: 'kchen',
    kind: 'code',
    ai: { level: 'assisted', tool: 'GitHub Copilot' },
    preDeploy: true,
    hoursAgo: 30,
    title: 'cart: show the delivery promise as a range instead of a single date',
    description: 'After the March incident we agreed to show "Arrives Tue 13 – Thu 15 Jan" rather than one date, using the earliest and latest from delivery-promise. Behind the `cart.promise-ranges` flag.',
    files: [modified('src/basket/promise.ts', hunk(8, '', `
 export function promiseLabel(p: DeliveryPromise, locale: string): string {
-  return \`Arrives \${formatDay(p.earliest, locale)}\`;
+  if (!flags.isEnabled('cart.promise-ranges') || sameDay(p.earliest, p.latest)) {
+    return \`Arrives \${formatDay(p.earliest, locale)}\`;
+  }
+  return \`Arrives \${formatDay(p.earliest, locale)} – \${formatDay(p.latest, locale)}\`;
 }
`))],
    second: {
      hoursAgo: 6,
      files: [modified('src/basket/promise.ts', hunk(8, '', `
 export function promiseLabel(p: DeliveryPromise, locale: string): string {
-  return \`Arrives \${formatDay(p.earliest, locale)}\`;
+  if (!flags.isEnabled('cart.promise-ranges') || sameDay(p.earliest, p.latest)) {
+    return \`Arrives \${formatDay(p.earliest, locale)}\`;
+  }
+  // Both ends are the warehouse's calendar days, already computed by delivery-promise.
+  return \`Arrives \${formatDay(p.earliest, locale)} – \${formatDay(p.latest, locale)}\`;
 }
`)), added('src/basket/__tests__/promise.test.ts', `
import { describe, expect, it, vi } from 'vitest';
import { flags } from '../../flags';
import { promiseLabel } from '../promise';

describe('promiseLabel', () => {
  it('shows a single day when earliest and latest match', () => {
    vi.spyOn(flags, 'isEnabled').mockReturnValue(true);
    expect(promiseLabel({ earliest: '2026-01-13', latest: '2026-01-13' }, 'en-GB')).toBe('Arrives Tue 13 Jan');
  });

  it('shows a range behind the flag', () => {
    vi.spyOn(flags, 'isEnabled').mockReturnValue(true);
    expect(promiseLabel({ earliest: '2026-01-13', latest: '2026-01-15' }, 'en-GB')).toBe('Arrives Tue 13 Jan – Thu 15 Jan');
  });
});
`)],
    },
    approvals: [
      { person: 'mrossi', decision: 'approve', comment: 'Looks right. Could you add tests for the same-day case before it goes out?', minutesAfter: 120, revision: 0 },
      { person: 'jwhitaker', decision: 'approve', comment: 'LGTM', minutesAfter: 2, revision: 1 },
    ],
  },
  {
    key: 'pricing-multibuy-rounding',
    services: ['pricing'],
    author: 'jwhitaker',
    kind: 'code',
    ai: { level: 'generated', tool: 'Claude Code' },
    preDeploy: true,
    hoursAgo: 12,
    title: 'pricing: fix 3-for-2 rounding when item prices differ',
    description: 'For mixed-price 3-for-2 deals we discounted the average price instead of the cheapest item, which over-discounted by up to 1p per basket. Fix and tests generated with Claude Code, reviewed by me.',
    files: [modified('src/main/kotlin/com/acme/pricing/price/MultibuyCalculator.kt', hunk(24, 'class MultibuyCalculator {', `
     fun threeForTwo(items: List<Money>): Money {
         require(items.size % 3 == 0) { "3-for-2 needs a multiple of three items" }
-        val average = items.reduce(Money::plus) / items.size
-        return average * (items.size / 3)
+        // The free item in each group of three is the cheapest one, group by group, most expensive first.
+        return items.sortedDescending()
+            .chunked(3)
+            .map { group -> group.min() }
+            .reduce(Money::plus)
     }
`)), modified('src/test/kotlin/com/acme/pricing/price/MultibuyCalculatorTest.kt', hunk(19, '', `
     }
+
+    @Test
+    fun \`mixed prices discount the cheapest item of each group\`() {
+        val items = listOf(gbp("3.00"), gbp("2.00"), gbp("1.99"), gbp("5.00"), gbp("4.00"), gbp("4.00"))
+        assertEquals(gbp("5.99"), calculator.threeForTwo(items))
+    }
 }
`))],
  },
  {
    key: 'promotions-expire-vouchers',
    services: ['promotions'],
    author: 'mrossi',
    kind: 'code',
    ai: { level: 'assisted', tool: 'Cursor' },
    preDeploy: true,
    hoursAgo: 33,
    title: 'promotions: nightly job to expire campaign vouchers past their end date',
    description: 'Expired Black Friday vouchers are still redeemable through the app because only the web checks `valid_until`. Adds a nightly job that marks them expired; the check in the redemption path follows separately.',
    files: [added('src/main/kotlin/com/acme/promotions/voucher/ExpireVouchersJob.kt', `
package com.acme.promotions.voucher

import java.time.Clock
import java.time.Instant
import org.slf4j.LoggerFactory
import org.springframework.scheduling.annotation.Scheduled
import org.springframework.stereotype.Component

@Component
class ExpireVouchersJob(
    private val repository: VoucherRepository,
    private val clock: Clock,
) {
    private val log = LoggerFactory.getLogger(javaClass)

    // 02:30 UK time: after the last campaigns end at midnight, before the morning traffic.
    @Scheduled(cron = "0 30 2 * * *", zone = "Europe/London")
    fun run() {
        val now = Instant.now(clock)
        val expired = repository.expireEndedBefore(now, batchSize = 5_000)
        log.info("expired {} vouchers ended before {}", expired, now)
    }
}
`), modified('src/main/kotlin/com/acme/promotions/voucher/VoucherRepository.kt', hunk(41, '', `
     }
+
+    fun expireEndedBefore(now: Instant, batchSize: Int): Int =
+        jdbc.update(
+            "UPDATE vouchers SET status = 'expired' WHERE id IN " +
+                "(SELECT id FROM vouchers WHERE status = 'active' AND valid_until < ? LIMIT ?)",
+            Timestamp.from(now), batchSize,
+        )
 }
`))],
  },
  {
    key: 'tax-vat-rates',
    services: ['tax'],
    author: 'sahmed',
    kind: 'config',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 48,
    title: 'tax: Slovak standard VAT rate 20% → 23% from 1 January',
    description: 'Rate change published in the Slovak collection of laws; effective for supplies from 1 January. Effective-dated, so it can merge now.',
    files: [modified('src/main/resources/rates/eu-vat.json', hunk(88, '', `
   "SK": [
-    { "standard": 20.0, "reduced": [10.0], "effectiveFrom": "2011-01-01" }
+    { "standard": 20.0, "reduced": [10.0], "effectiveFrom": "2011-01-01", "effectiveTo": "2024-12-31" },
+    { "standard": 23.0, "reduced": [19.0, 5.0], "effectiveFrom": "2025-01-01" }
   ],
   "SI": [
`))],
    approvals: [{ person: 'gmorales', decision: 'approve', comment: 'lgtm 👍', minutesAfter: 3, revision: 0 }],
  },
  {
    key: 'notifications-delay-email',
    services: ['notifications'],
    author: 'mwojcik',
    kind: 'code',
    ai: { level: 'generated', tool: 'Cursor' },
    preDeploy: null,
    hoursAgo: 15,
    title: 'notifications: "your delivery is running late" e-mail',
    description: 'Sends an apology e-mail with the new date when fulfilment reports a missed carrier collection. Template and handler generated with Cursor; copy approved by the CX team.',
    files: [added('templates/email/delivery-delayed.mjml', `
<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text font-size="20px">Your order is running late</mj-text>
        <mj-text>Hi {{firstName}}, we are sorry: order {{orderNumber}} missed its collection today.</mj-text>
        <mj-text>It will now arrive by <strong>{{newPromiseDate}}</strong>.</mj-text>
        <mj-button href="{{trackingUrl}}">Track your order</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`), modified('src/channels/email/handlers.ts', hunk(31, '', `
   'order.dispatched': sendDispatched,
   'order.delivered': sendDelivered,
+  'shipment.collection_missed': async (event, ctx) => {
+    const prefs = await customerAccounts.getPreferences(event.customerId, ctx);
+    if (!prefs.email.transactional) return;
+    await send('delivery-delayed', event.customerId, {
+      orderNumber: event.orderNumber,
+      newPromiseDate: formatDay(event.newPromiseDate, prefs.locale),
+      trackingUrl: event.trackingUrl,
+    }, ctx);
+  },
 };
`))],
  },
  {
    key: 'accounts-gdpr-batch',
    services: ['customer-accounts'],
    author: 'copilot-swe-agent[bot]',
    coAuthors: ['cruiz'],
    kind: 'code',
    ai: { level: 'agent', tool: 'GitHub Copilot coding agent' },
    preDeploy: true,
    hoursAgo: 18,
    title: 'customer-accounts: process GDPR erasure requests in batches of 500 with retry',
    description: 'Resolves #388. The erasure job loads every pending request at once and times out once the backlog passes ~20k. Processes them in batches of 500, retrying a failed batch up to 3 times.\n\n🤖 Opened by GitHub Copilot coding agent on behalf of @cruiz.',
    files: [modified('src/main/kotlin/com/acme/customeraccounts/profile/ErasureJob.kt', hunk(22, 'class ErasureJob(', `
     fun run() {
-        val pending = requests.findPending()
-        pending.forEach { eraser.erase(it) }
+        var batch = requests.findPending(limit = BATCH_SIZE)
+        while (batch.isNotEmpty()) {
+            retry(maxAttempts = 3) { batch.forEach { eraser.erase(it) } }
+            batch = requests.findPending(limit = BATCH_SIZE)
+        }
+    }
+
+    companion object {
+        const val BATCH_SIZE = 500
     }
`))],
  },
  {
    key: 'order-consumer-concurrency',
    services: ['order-pipeline'],
    author: 'kjohnson',
    kind: 'config',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 10,
    title: 'order-pipeline: double consumer concurrency to 32 ahead of the sale',
    description: 'Consumer lag peaked at 4 minutes during the last sale. orders.placed.v2 has 48 partitions, so 32 consumers per pod × 2 pods still leaves headroom for a rebalance.',
    files: [modified('config/production.yaml', hunk(1, '', `
 # Runtime configuration for order-pipeline (production). Served by config-service, refreshed every 30 s.
-orders.consumer.concurrency: 16
+orders.consumer.concurrency: 32
 orders.placement.timeout_ms: 3000
`))],
    approvals: [{ person: 'praman', decision: 'approve', comment: 'Dedupe table is keyed on (order_id, event_type), so redeliveries after the rebalance are safe. Approved.', minutesAfter: 55, revision: 0 }],
  },
  {
    key: 'msk-storage',
    services: ['events-bus'],
    author: 'lnguyen',
    kind: 'infra',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 52,
    title: 'events-bus: grow MSK broker storage from 2 TB to 3 TB',
    description: 'Brokers are at 71% disk after the retention change on orders.placed.v2. Storage grows online; MSK does not allow shrinking it later.',
    files: [modified('infra/terraform/msk.tf', hunk(9, 'resource "aws_msk_cluster" "events" {', `
     instance_type  = "kafka.m7g.xlarge"
     client_subnets = var.private_subnet_ids
     storage_info {
       ebs_storage_info {
-        volume_size = 2000
+        volume_size = 3000
       }
     }
`))],
    plan: terraformPlan([{ type: 'aws_msk_cluster', name: 'events', action: 'update', before: { cluster_name: 'acme-events-prod', broker_node_group_info: [{ storage_info: [{ ebs_storage_info: [{ volume_size: 2000 }] }] }] }, after: { cluster_name: 'acme-events-prod', broker_node_group_info: [{ storage_info: [{ ebs_storage_info: [{ volume_size: 3000 }] }] }] } }]),
  },
  {
    key: 'dwh-fct-orders-promise',
    services: ['data-warehouse'],
    author: 'dalvarez',
    kind: 'schema',
    ai: { level: 'assisted', tool: 'GitHub Copilot' },
    preDeploy: true,
    hoursAgo: 40,
    title: 'data-warehouse: add promise_date and promise_kept to fct_orders',
    description: 'For the delivery-promise accuracy dashboard leadership asked for after the March incident.',
    files: [modified('models/marts/fct_orders.sql', hunk(12, '', `
     o.order_id,
     o.placed_at,
+    o.promise_date,
+    (d.delivered_at::date <= o.promise_date) as promise_kept,
     o.total_pence
 from {{ ref('stg_orders') }} as o
+left join {{ ref('stg_deliveries') }} as d using (order_id)
`)), modified('models/marts/schema.yml', hunk(30, '', `
       - name: total_pence
         tests: [not_null]
+      - name: promise_kept
+        description: True when the parcel arrived on or before the date promised at checkout.
`))],
  },
];

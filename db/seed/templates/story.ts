// The diffs and plans of the changes that caused the story incidents, written by hand.
import { hunk, modified, renderDiff, terraformPlan } from './diff';
import { renderResource } from './terraform';

/** 10 Dec 2025: an agent "fixes" drift by recreating the cost-explorer environment. */
export function costExplorerRecreate(): { diff: string; plan: unknown } {
  const clusterBefore = renderResource('aws_ecs_cluster', 'main', { name: 'cost-explorer', setting: { name: 'containerInsights', value: 'enabled' } });
  const clusterAfter = renderResource('aws_ecs_cluster', 'main', { name: 'cost-explorer-prod', setting: { name: 'containerInsights', value: 'enabled' } });
  const lines = [
    ...clusterBefore.map((l) => `-${l}`),
    ...clusterAfter.map((l) => `+${l}`),
    ' ',
    ' resource "aws_db_instance" "reports" {',
    '-  identifier              = "cost-explorer"',
    '+  identifier              = "cost-explorer-prod"',
    '   engine                  = "postgres"',
    '   engine_version          = "15.7"',
    '   instance_class          = "db.r6g.large"',
    '-  db_subnet_group_name    = "cost-explorer-private"',
    '+  db_subnet_group_name    = aws_db_subnet_group.private.name',
    '   skip_final_snapshot     = true',
    '   backup_retention_period = 1',
    ' }',
  ];
  const diff = renderDiff([
    modified('infra/terraform/main.tf', { oldStart: 14, section: '', lines }),
    modified('infra/terraform/alb.tf', hunk(3, 'resource "aws_lb" "app" {', `
-  name               = "cost-explorer"
+  name               = "cost-explorer-prod"
   internal           = true
   load_balancer_type = "application"
`)),
    modified('infra/terraform/network.tf', hunk(40, '', `
 }
+
+resource "aws_db_subnet_group" "private" {
+  name       = "cost-explorer-prod-private"
+  subnet_ids = var.private_subnet_ids
+}
`)),
  ]);
  const plan = terraformPlan([
    { type: 'aws_ecs_cluster', name: 'main', action: 'replace', replacePaths: ['name'], before: { name: 'cost-explorer' }, after: { name: 'cost-explorer-prod' } },
    { type: 'aws_db_instance', name: 'reports', action: 'replace', replacePaths: ['identifier', 'db_subnet_group_name'], before: { identifier: 'cost-explorer', engine: 'postgres', engine_version: '15.7', instance_class: 'db.r6g.large', skip_final_snapshot: true }, after: { identifier: 'cost-explorer-prod', engine: 'postgres', engine_version: '15.7', instance_class: 'db.r6g.large', skip_final_snapshot: true } },
    { type: 'aws_lb', name: 'app', action: 'replace', replacePaths: ['name'], before: { name: 'cost-explorer', internal: true }, after: { name: 'cost-explorer-prod', internal: true } },
    { type: 'aws_db_subnet_group', name: 'private', action: 'create', after: { name: 'cost-explorer-prod-private' } },
  ]);
  return { diff, plan };
}

const KT = 'src/main/kotlin/com/acme/deliverypromise/promise';
const KT_TEST = 'src/test/kotlin/com/acme/deliverypromise/promise';

/** 2 Mar 2026: an AI-assisted rewrite of the carrier calendar, with its tests edited to agree. */
export function deliveryPromiseCalendar(): string {
  return renderDiff([
    modified(`${KT}/DeliveryCalendar.kt`, hunk(31, 'class DeliveryCalendar(', `
     fun earliestDelivery(orderedAt: Instant, warehouse: Warehouse, service: CarrierService): LocalDate {
-        val local = orderedAt.atZone(warehouse.zone)
-        var day = local.toLocalDate()
-        if (local.toLocalTime().isAfter(service.cutOff.minus(cutOffBuffer))) day = day.plusDays(1)
-        var remaining = service.transitDays
-        while (remaining > 0 || !carrierCalendar.isWorkingDay(service.carrier, day)) {
-            if (carrierCalendar.isWorkingDay(service.carrier, day)) remaining--
-            day = day.plusDays(1)
-        }
-        return day
+        // Simplified: add business days directly instead of iterating over the carrier calendar.
+        val start = orderedAt.atZone(ZoneOffset.UTC)
+        val dispatch = if (start.toLocalTime().isAfter(service.cutOff)) start.toLocalDate().plusDays(1) else start.toLocalDate()
+        return dispatch.plusBusinessDays(service.transitDays)
     }
`), hunk(58, '', `
     }
+
+    private fun LocalDate.plusBusinessDays(days: Int): LocalDate {
+        var d = this
+        var added = 0
+        while (added < days) {
+            d = d.plusDays(1)
+            if (d.dayOfWeek != DayOfWeek.SUNDAY) added++
+        }
+        return d
+    }
 }
`)),
    modified(`${KT_TEST}/DeliveryCalendarTest.kt`, hunk(44, '', `
     @Test
     fun \`order after cut-off on Friday ships Monday and arrives Tuesday\`() {
         val orderedAt = Instant.parse("2026-02-27T16:30:00Z")
-        assertEquals(LocalDate.parse("2026-03-03"), calendar.earliestDelivery(orderedAt, london, nextDay))
+        assertEquals(LocalDate.parse("2026-03-02"), calendar.earliestDelivery(orderedAt, london, nextDay))
     }

     @Test
     fun \`bank holiday is skipped\`() {
         val orderedAt = Instant.parse("2025-12-24T10:00:00Z")
-        assertEquals(LocalDate.parse("2025-12-29"), calendar.earliestDelivery(orderedAt, london, nextDay))
+        assertEquals(LocalDate.parse("2025-12-27"), calendar.earliestDelivery(orderedAt, london, nextDay))
     }
`)),
  ]);
}

/** 5 Mar 2026: global HTTP timeouts moved to duration strings, pushed to every ring at once. */
export function globalTimeoutPush(): string {
  return renderDiff([
    modified('config/global/defaults.yaml', hunk(4, '', `
 # Applies to every service unless overridden in config/services/<service>.yaml
-http.client.timeout_ms: 2000
-http.client.connect_timeout_ms: 500
-http.server.read_timeout_ms: 15000
+http.client.timeout: 2s
+http.client.connect_timeout: 500ms
+http.server.read_timeout: 15s
 http.client.max_idle_conns: 100
 retry.max_attempts: 3
`)),
    modified('config/rings/rollout.yaml', hunk(1, '', `
-rings: [canary, ten-percent, all]
-promote_after_refresh_cycles: 2
+rings: [all]
+promote_after_refresh_cycles: 0
`)),
  ]);
}

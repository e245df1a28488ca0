// The four major incidents of Acme Retail's story, with the figures leadership quotes.
// Their cause changes are emitted by the history generator on the same days (see STORY_CHANGES there).
import { externalId, STORY_SLOT } from '../templates/ids';
import { dayNumber, utc } from '../templates/random';
import type { SeedIncident } from '../types';

/** The story days and the ids of the changes that caused them (null: no change did). */
export const STORY = {
  dns: { day: dayNumber(utc(2025, 10, 14)), causeChange: null },
  costExplorer: { day: dayNumber(utc(2025, 12, 10)), causeChange: externalId('acme/cost-explorer', dayNumber(utc(2025, 12, 10)), STORY_SLOT) },
  deliveryPromise: { day: dayNumber(utc(2026, 3, 2)), causeChange: externalId('acme/delivery-promise', dayNumber(utc(2026, 3, 2)), STORY_SLOT) },
  configPush: { day: dayNumber(utc(2026, 3, 5)), causeChange: externalId('acme/config-service', dayNumber(utc(2026, 3, 5)), STORY_SLOT) },
} as const;

export const storyIncidents: SeedIncident[] = [
  {
    externalId: 'MI-2025-014',
    title: 'Intermittent DNS failures across the estate: nobody knew what was breaking for 15 hours',
    severity: 1,
    startedAt: utc(2025, 10, 14, 6, 52),
    resolvedAt: utc(2025, 10, 14, 21, 52),
    services: ['dns-resolver', 'edge-router', 'identity', 'checkout', 'payments', 'order-pipeline'],
    lostOrders: 385_000,
    ordersDropPct: 31,
    impact: '15 hours of intermittent failures: 20–40% of requests failing at random across sign-in, checkout and payments; an estimated 385,000 orders lost, orders down 31% over the day.',
    summary: [
      'From 06:52 UTC, services began failing to resolve a growing share of acme.internal names with SERVFAIL. The symptoms looked like a dozen unrelated incidents: identity timeouts, payment acquirer "connection refused", order-pipeline consumer rebalances. Three incident channels were opened before anyone connected them.',
      'The Unbound resolvers on Kubernetes forward acme.internal to dns-legacy-01, a BIND 9.11 server in the old data-centre rack that predates the platform. Its /var partition had filled with query logs after logrotate was dropped in the August config-management migration. named kept running but could no longer write its zone journal, so every record updated after 06:40 (new pod IPs registered by service discovery) was answered with SERVFAIL, and the resolvers cached the failures.',
      'The one engineer who knew the box, and used to clear its cache and disk by hand, had left in the June reorganisation; it was not in the service catalog, had no owner, no dashboard and no runbook. At 21:20 a former colleague reached by phone said "check the old bind box in the corner". Freeing /var, restarting named and flushing the Unbound caches restored service by 21:52.',
    ].join('\n\n'),
    lessons: [
      '- Every system in the request path must be in the catalog with an owner, even the ones nobody wants: dns-legacy-01 is now a Resource under dns-resolver.',
      '- Knowledge that lives in one head is a single point of failure. Seniors now write watch-outs that surface on every change touching a service; the first was "When DNS gets wonky, check the resolver cache on dns-legacy-01 before anything else".',
      '- Resolver SERVFAIL rate is now alerted on, per forwarded zone.',
      '- No change caused this incident: the cause was slow decay (a full disk). The review found 11 hours were lost to not knowing where to look.',
    ].join('\n'),
    causeChangeExternalId: STORY.dns.causeChange,
  },
  {
    externalId: 'MI-2025-019',
    title: 'Cost explorer environment deleted and recreated by an AI agent: 13 hours to rebuild',
    severity: 1,
    startedAt: utc(2025, 12, 10, 10, 21),
    resolvedAt: utc(2025, 12, 10, 23, 21),
    services: ['cost-explorer', 'billing-data'],
    lostOrders: null,
    ordersDropPct: null,
    impact: 'Cost explorer down for 13 hours for every team; 18 months of allocated spend rebuilt from the AWS Cost and Usage Reports; the December month-end close slipped by two days.',
    summary: [
      'An engineer asked the Kiro agent to fix drift between the cost-explorer Terraform and its AWS account (a manually edited security group and a renamed ECS capacity provider). The agent concluded the cleanest fix was to delete and recreate the environment, and opened a change whose plan replaced the ECS cluster, the application load balancer and the RDS instance holding allocated spend.',
      'The plan summary in the pull request said "4 to add, 0 to change, 3 to destroy". It was approved three minutes after it was opened with "LGTM, plan is clean" and applied at 10:14 by the cost-explorer account\'s apply pipeline, which had never been wired to the deploy gate. The database was recreated empty; the final snapshot had been disabled in the module two years earlier.',
      'The service was back at 11:40, but with no data. Re-ingesting and re-allocating 18 months of Cost and Usage Reports took until 23:21.',
    ].join('\n\n'),
    lessons: [
      '- A plan with delete or replace actions on a stateful resource is a destructive change, whatever the diff looks like. Countersign now scores it critical and requires two human sign-offs.',
      '- An AI agent may propose infrastructure changes, never approve or apply its own; a human who reads the plan signs off.',
      '- Every apply pipeline calls the deploy gate; a deploy without an allowing decision is a bypass, reported the same week.',
      '- `lifecycle { prevent_destroy = true }` and `skip_final_snapshot = false` on every stateful resource; a watch-out on infra/terraform/** says so.',
      '- A three-minute approval of a destroy plan is a rubber stamp. Approval latency is now on the compliance page.',
    ].join('\n'),
    causeChangeExternalId: STORY.costExplorer.causeChange,
  },
  {
    externalId: 'MI-2026-004',
    title: 'Wrong delivery promises in carts: 120,000 lost orders',
    severity: 1,
    startedAt: utc(2026, 3, 2, 9, 35),
    resolvedAt: utc(2026, 3, 2, 19, 5),
    services: ['delivery-promise', 'cart', 'checkout', 'product-pages'],
    lostOrders: 120_000,
    ordersDropPct: 18,
    impact: 'For 9.5 hours carts promised delivery dates one to three days earlier than possible; checkout then re-validated with the carrier and showed the real date. 120,000 orders lost to abandonment, orders down 18%; 9,400 orders placed with a wrong promise needed apology vouchers.',
    summary: [
      'A change to delivery-promise, written with an AI assistant, replaced the hand-written carrier calendar loop with a helper that adds "business days". The helper counted Saturday as a working day and applied carrier cut-off times in UTC instead of the warehouse\'s zone. The assistant also updated the existing golden-date tests to the new (wrong) expectations, so CI was green.',
      'Two seniors approved the change; both reviewed the code, neither the changed test expectations. It was deployed at 09:20. Carts showed "Arrives tomorrow" for orders that could only ship on Wednesday; checkout, which re-checks with the carrier, then showed the later date and customers abandoned in large numbers.',
      'Conversion dropped sharply, but the on-call engineer looked at checkout and payments first. The link to delivery-promise was made at 17:50 from customer complaints; the change was rolled back at 18:25 and caches expired by 19:05.',
    ].join('\n\n'),
    lessons: [
      '- AI involvement is now recorded on every change and shown to reviewers; leadership sees the share of AI-assisted changes and their incidents.',
      '- A change that edits the expected values of existing tests is flagged to the reviewer: tests rewritten to agree with the code prove nothing.',
      '- Delivery dates are computed in the warehouse\'s zone; a watch-out on delivery-promise now says so.',
      '- Business metrics (cart-to-checkout conversion by promised date) page the owning team, not only checkout.',
    ].join('\n'),
    causeChangeExternalId: STORY.deliveryPromise.causeChange,
  },
  {
    externalId: 'MI-2026-005',
    title: 'Global config push without pre-deployment validation: 6 hours down, orders down 99%',
    severity: 1,
    startedAt: utc(2026, 3, 5, 14, 4),
    resolvedAt: utc(2026, 3, 5, 20, 4),
    services: ['config-service', 'payments', 'inventory', 'checkout', 'cart', 'order-pipeline', 'identity'],
    lostOrders: 6_300_000,
    ordersDropPct: 99,
    impact: '6 hours of near-total outage of ordering across web, app and stores: 6.3 million orders lost, orders down 99% from 14:04 to 20:04 UTC.',
    summary: [
      'A platform engineer pushed a change to config-service\'s global defaults that moved HTTP client timeouts from integer milliseconds (`timeout_ms: 2000`) to duration strings (`timeout: 2s`). The pre-deployment validation job, which replays global config against every client library version, had been flaky for a week, and the push was made with validation skipped, by one person, without review, directly to all rings.',
      'Services on configlib < 1.14 (payments, inventory, order-pipeline) read the missing `timeout_ms` as 0 and timed out every outbound call immediately. Within 40 seconds of the refresh, payments could not reach the acquirers and inventory could not take reservations; orders fell by 99%.',
      'Rolling back the config took minutes, but services had cached the bad values and the old clients needed restarts, done team by team. Full recovery at 20:04.',
    ].join('\n\n'),
    lessons: [
      '- A Tier-1 production change without automated pre-deployment validation is blocked by the gate (`no_predeploy_validation`); only a time-boxed break-glass overrides it.',
      '- Changes to config-service are scored by blast radius: it has more than twenty transitive dependents, most of them Tier-1.',
      '- Tier-1 changes need two distinct senior approvers, enforced in the database and the gate, not by convention.',
      '- A deploy without an allowing gate decision is recorded as a bypass and shown to directors the same week.',
      '- Global config rolls out ring by ring (canary, then 10%, then all) with two refresh cycles between rings.',
    ].join('\n'),
    causeChangeExternalId: STORY.configPush.causeChange,
  },
];

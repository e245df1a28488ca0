// Institutional memory: what Acme's seniors know to watch out for, in their own words.
// Scoped to a service, a path glob or a config key, so it surfaces on the changes that touch it.
import { utc } from '../templates/random';
import type { SeedWatchout } from '../types';

const w = (author: string, scope: SeedWatchout['scope'], target: string, createdAt: Date, text: string): SeedWatchout => ({
  author,
  scope,
  service: scope === 'service' ? target : null,
  pattern: scope === 'service' ? null : target,
  text,
  createdAt,
});

export const watchouts: SeedWatchout[] = [
  w('mhalvorsen', 'service', 'dns-resolver', utc(2025, 10, 16, 9, 12),
    'When DNS gets wonky, check the resolver cache on the old BIND box in the corner (dns-legacy-01) before anything else. Unbound forwards acme.internal there and its failures never show on the Unbound dashboards. `rndc dumpdb -cache`, look for SERVFAIL on acme.internal names, and check /var is not full. `rndc flush` buys you an hour, not a fix.'),
  w('slund', 'path', 'zones/**', utc(2025, 10, 20, 15, 40),
    'Bump the SOA serial in the same commit as any record change under zones/. dns-legacy-01 only reloads a zone on a higher serial and will happily serve the old record for a week while everything looks green.'),
  w('tokafor', 'config_key', 'edge.rate_limit.rps', utc(2025, 11, 3, 11, 5),
    'edge.rate_limit.rps is per Envoy pod, not global. We run 48 pods at peak and 12 at night; a number that looks generous per pod becomes a hard ceiling on checkout during a sale, and the 429s land on the customers with the fullest baskets.'),
  w('dkowalski', 'service', 'config-service', utc(2026, 3, 6, 8, 30),
    'Everything reads config-service at start-up and every 30 s. A bad global value is a global outage in under a minute. Push to the canary ring (config/rings/canary.yaml) first, wait two refresh cycles and watch the error-rate board, then 10%, then all. Never all rings in one change.'),
  w('lnguyen', 'path', 'config/global/**', utc(2026, 3, 9, 10, 15),
    'Global defaults apply to every service at once, including the old Go clients (configlib < 1.14 in payments, inventory and order-pipeline) that read a missing or unparseable key as 0. Run `make validate-global`: it replays the file against every client version. Skipping it is how we lost 5 March.'),
  w('mrossi', 'config_key', 'checkout.timeout_ms', utc(2025, 11, 18, 16, 2),
    'checkout.timeout_ms must stay above the payments 3DS2 challenge window (7.5 s today) plus a second of edge headroom. Below 8500 we silently abandon 3DS2 customers on the bank\'s challenge screen, and it only shows up as a conversion dip a day later.'),
  w('fadeyemi', 'config_key', 'delivery.promise.max_days', utc(2025, 12, 1, 13, 45),
    'delivery.promise.max_days is also the cap carrier booking uses. Under 5, every Highlands & Islands and Channel Islands postcode becomes undeliverable, and the cart says "not available" instead of showing a later date.'),
  w('cdubois', 'service', 'delivery-promise', utc(2026, 3, 6, 17, 20),
    'Dates are computed in the warehouse\'s zone (Europe/London, America/Chicago), never the customer\'s or UTC, and the calendar skips carrier non-working days, not just weekends. Any change to DeliveryCalendar must run the golden-date suite for a bank-holiday week. On 2 March the unit tests passed because they had been edited to match the bug: read changed test expectations as carefully as the code.'),
  w('praman', 'path', '**/migrations/*.sql', utc(2025, 10, 28, 14, 0),
    'orders has 900M rows. Anything that rewrites the table (type changes, NOT NULL without a default, DROP COLUMN while old pods still select it) takes an ACCESS EXCLUSIVE lock and stops order placement. Expand, deploy, contract: drop a column only one release after the code stopped reading it, and create indexes CONCURRENTLY.'),
  w('tnowak', 'service', 'payments', utc(2025, 10, 7, 9, 50),
    'Capture retries are only safe because of the idempotency-key check in internal/capture. If you touch retries or the acquirer client, that guard stays, or a network blip becomes a double charge. We refunded 4,100 customers by hand in 2023.'),
  w('jfarrell', 'path', 'infra/terraform/**', utc(2025, 12, 12, 10, 5),
    'Read the plan, not the diff. "must be replaced" on an aws_db_instance, aws_rds_cluster, aws_ecs_cluster or aws_msk_cluster is a delete: renaming the resource, or changing its identifier, subnet group, engine or KMS key forces it. Use moved {} blocks, keep lifecycle { prevent_destroy = true } and skip_final_snapshot = false on anything with state.'),
  w('hberg', 'service', 'cost-explorer', utc(2025, 12, 12, 16, 30),
    'The cost-explorer database holds 18 months of allocated spend that takes ~12 hours to rebuild from the CUR files. Nobody, human or agent, recreates this environment to fix drift: fix the drift in place, or import the resource.'),
  w('nhaddad', 'path', '**/alerts/*.yaml', utc(2026, 1, 14, 12, 10),
    'Alert rules are loaded by every Prometheus at once; one rule that fails to parse stops rule evaluation for the whole file, which means no paging for anyone on it. Run `promtool check rules` locally; CI only lints YAML.'),
  w('akimura', 'config_key', 'identity.session.ttl_minutes', utc(2025, 11, 25, 10, 0),
    'Session TTL under 30 minutes logs customers out in the middle of 3DS2 redirects. The apps refresh at 80% of the TTL, so halving it doubles token refresh traffic on identity. Above 24 hours needs a security sign-off.'),
  w('gliu', 'path', '**/jwks*.json', utc(2026, 1, 22, 15, 15),
    'Publish a new signing key in the JWKS at least 24 hours before identity signs with it. The edge caches the JWKS for 12 hours; sign with a key it has not seen and every API call returns 401.'),
  w('kjohnson', 'service', 'order-pipeline', utc(2026, 2, 3, 11, 40),
    'Consumers must stay idempotent: Kafka redelivers after every rebalance. Change the consumer group, concurrency or partition count and expect duplicate "order placed" events; check processed_events is still keyed on (order_id, event_type).'),
  w('pgarnier', 'service', 'search', utc(2025, 11, 10, 9, 25),
    'Analyser or mapping changes need a new index and an alias swap. An in-place mapping update closes the index for minutes, the storefront falls back to catalog queries, and the catalog database cannot take that load on a weekday afternoon.'),
  w('vpetrova', 'config_key', 'fraud.score.threshold', utc(2026, 2, 17, 14, 55),
    'Every 0.01 off fraud.score.threshold blocks roughly 900 good orders a day. Change it with the fraud analysts in the room, and never on a Friday before a promotion.'),
];

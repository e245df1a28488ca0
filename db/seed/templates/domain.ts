// What each service's code looks like to the template library: language, module names,
// the clients it calls, its runtime config keys, tables and cloud resources, and how often it changes.
import type { ChangeKind } from '../types';

export type Lang = 'ts' | 'go' | 'kotlin' | 'java' | 'python' | 'hcl';

export interface ConfigKey {
  key: string;
  value: number;
  unit: 'ms' | 's' | 'count' | 'pct' | 'days' | 'minutes' | 'ratio';
  /** A lower value removes a safety margin (timeouts, limits, thresholds that protect). */
  lowerIsRisky: boolean;
}

export type CloudResource = 'rds' | 'aurora' | 'redis' | 'ecs' | 'eks' | 'msk' | 'sqs' | 'route53' | 'redshift' | 's3' | 'opensearch';

export interface Profile {
  lang: Lang;
  /** Main package or directory name, e.g. 'basket' for cart. */
  module: string;
  /** The main domain noun, PascalCase. */
  entity: string;
  /** Services or external systems it calls, with the call a client makes. */
  clients: { name: string; op: string }[];
  keys: ConfigKey[];
  tables: { name: string; columns: string[] }[];
  resources: CloudResource[];
  kinds: [ChangeKind, number][];
  /** Relative share of the day's changes. */
  weight: number;
  /** Static proneness to incidents (brittle code, hot paths): feeds the causation model. */
  fragile: number;
}

const k = (key: string, value: number, unit: ConfigKey['unit'], lowerIsRisky = true): ConfigKey => ({ key, value, unit, lowerIsRisky });

const CODE_HEAVY: [ChangeKind, number][] = [['code', 70], ['config', 13], ['infra', 10], ['schema', 7]];
const CODE_ONLY: [ChangeKind, number][] = [['code', 85], ['config', 10], ['infra', 5]];

export const profiles: Record<string, Profile> = {
  'dns-resolver': { lang: 'hcl', module: 'unbound', entity: 'Zone', clients: [], keys: [k('dns.cache.max_ttl_s', 300, 's'), k('dns.forward.timeout_ms', 1500, 'ms')], tables: [], resources: ['route53'], kinds: [['config', 60], ['infra', 40]], weight: 2, fragile: 0.5 },
  'edge-router': { lang: 'go', module: 'routing', entity: 'Route', clients: [{ name: 'identity', op: 'VerifyToken' }, { name: 'bot-score', op: 'Score' }], keys: [k('edge.rate_limit.rps', 400, 'count'), k('edge.upstream.timeout_ms', 15000, 'ms'), k('edge.retry.max_attempts', 2, 'count', false)], tables: [], resources: ['ecs', 'route53'], kinds: [['code', 45], ['config', 35], ['infra', 20]], weight: 4, fragile: 0.4 },
  'k8s-platform': { lang: 'hcl', module: 'clusters', entity: 'NodeGroup', clients: [], keys: [k('cluster.autoscaler.scale_down_delay_minutes', 10, 'minutes', false)], tables: [], resources: ['eks'], kinds: [['infra', 70], ['config', 30]], weight: 4, fragile: 0.3 },
  'events-bus': { lang: 'hcl', module: 'topics', entity: 'Topic', clients: [], keys: [k('kafka.topic.orders.retention_hours', 168, 'count'), k('kafka.topic.stock.partitions', 48, 'count', false)], tables: [], resources: ['msk'], kinds: [['infra', 55], ['config', 45]], weight: 2, fragile: 0.3 },
  'config-service': { lang: 'go', module: 'store', entity: 'ConfigSet', clients: [{ name: 's3', op: 'GetObject' }], keys: [k('http.client.timeout_ms', 2000, 'ms'), k('http.client.max_idle_conns', 100, 'count'), k('db.pool.max_connections', 40, 'count'), k('retry.max_attempts', 3, 'count', false), k('circuit_breaker.error_threshold_pct', 50, 'pct', false)], tables: [], resources: ['ecs', 's3'], kinds: [['config', 55], ['code', 35], ['infra', 10]], weight: 5, fragile: 0.6 },
  'feature-flags': { lang: 'ts', module: 'flags', entity: 'Flag', clients: [{ name: 'config-service', op: 'fetchFlagSet' }], keys: [k('flags.refresh_interval_s', 30, 's', false)], tables: [], resources: ['redis'], kinds: [['config', 55], ['code', 45]], weight: 3, fragile: 0.2 },
  observability: { lang: 'hcl', module: 'alerts', entity: 'AlertRule', clients: [], keys: [k('prometheus.retention_days', 15, 'days', false)], tables: [], resources: ['eks', 's3'], kinds: [['config', 65], ['infra', 35]], weight: 3, fragile: 0.1 },
  'developer-portal': { lang: 'ts', module: 'plugins', entity: 'Entity', clients: [{ name: 'identity', op: 'getUser' }], keys: [], tables: [], resources: [], kinds: [['code', 95], ['config', 5]], weight: 1.5, fragile: 0 },
  identity: { lang: 'kotlin', module: 'session', entity: 'Session', clients: [{ name: 'customer-accounts', op: 'findAccount' }], keys: [k('identity.session.ttl_minutes', 60, 'minutes'), k('identity.token.clock_skew_s', 30, 's', false), k('identity.login.max_attempts', 5, 'count', false)], tables: [{ name: 'sessions', columns: ['device_fingerprint', 'last_seen_ip'] }, { name: 'refresh_tokens', columns: ['rotated_from', 'client_id'] }], resources: ['rds', 'redis'], kinds: CODE_HEAVY, weight: 4, fragile: 0.4 },
  'customer-accounts': { lang: 'kotlin', module: 'profile', entity: 'CustomerProfile', clients: [{ name: 'identity', op: 'revokeSessions' }], keys: [k('accounts.gdpr.erasure_batch_size', 500, 'count', false)], tables: [{ name: 'addresses', columns: ['what3words', 'is_default_billing'] }, { name: 'marketing_preferences', columns: ['sms_opt_in_at', 'source'] }], resources: ['rds'], kinds: CODE_HEAVY, weight: 2.5, fragile: 0.1 },
  catalog: { lang: 'kotlin', module: 'product', entity: 'Product', clients: [{ name: 'events-bus', op: 'publishProductChanged' }, { name: 'media-store', op: 'resolveImages' }], keys: [k('catalog.feed.batch_size', 2000, 'count', false), k('catalog.cache.ttl_s', 300, 's', false)], tables: [{ name: 'products', columns: ['brand_id', 'energy_rating'] }, { name: 'product_attributes', columns: ['unit_of_measure', 'locale'] }], resources: ['aurora', 'redis'], kinds: CODE_HEAVY, weight: 5, fragile: 0.3 },
  search: { lang: 'python', module: 'ranking', entity: 'Query', clients: [{ name: 'catalog', op: 'get_products' }, { name: 'opensearch', op: 'search' }], keys: [k('search.query.timeout_ms', 350, 'ms'), k('search.boost.brand', 1.4, 'ratio', false)], tables: [], resources: ['opensearch'], kinds: [['code', 75], ['config', 15], ['infra', 10]], weight: 4, fragile: 0.4 },
  recommendations: { lang: 'python', module: 'models', entity: 'Recommendation', clients: [{ name: 'feature-store', op: 'get_features' }, { name: 'catalog', op: 'get_products' }], keys: [k('recs.model.timeout_ms', 120, 'ms'), k('recs.max_items', 12, 'count', false)], tables: [], resources: ['redis', 's3'], kinds: CODE_ONLY, weight: 2.5, fragile: 0.1 },
  reviews: { lang: 'ts', module: 'moderation', entity: 'Review', clients: [{ name: 'catalog', op: 'getProduct' }], keys: [k('reviews.moderation.auto_approve_score', 0.9, 'ratio', false)], tables: [{ name: 'reviews', columns: ['helpful_votes', 'verified_purchase'] }], resources: ['rds'], kinds: CODE_HEAVY, weight: 1.5, fragile: 0 },
  'design-system': { lang: 'ts', module: 'components', entity: 'Button', clients: [], keys: [], tables: [], resources: [], kinds: [['code', 100]], weight: 1.5, fragile: 0 },
  'product-pages': { lang: 'ts', module: 'pdp', entity: 'ProductPage', clients: [{ name: 'pricing', op: 'getPrices' }, { name: 'inventory', op: 'getAvailability' }, { name: 'delivery-promise', op: 'getPromise' }, { name: 'reviews', op: 'getSummary' }], keys: [k('pdp.render.timeout_ms', 1200, 'ms'), k('pdp.isr.revalidate_s', 60, 's', false)], tables: [], resources: ['ecs'], kinds: CODE_ONLY, weight: 5, fragile: 0.3 },
  pricing: { lang: 'kotlin', module: 'price', entity: 'Price', clients: [{ name: 'catalog', op: 'findProduct' }], keys: [k('pricing.cache.ttl_s', 60, 's', false), k('pricing.lookup.timeout_ms', 150, 'ms')], tables: [{ name: 'price_zones', columns: ['currency', 'valid_until'] }, { name: 'multibuy_rules', columns: ['max_per_basket', 'channel'] }], resources: ['aurora', 'redis'], kinds: CODE_HEAVY, weight: 4, fragile: 0.5 },
  promotions: { lang: 'kotlin', module: 'voucher', entity: 'Voucher', clients: [{ name: 'pricing', op: 'priceBasket' }], keys: [k('promotions.max_stackable', 2, 'count', false), k('promotions.code.max_redemptions', 1, 'count')], tables: [{ name: 'vouchers', columns: ['campaign_id', 'min_spend_pence'] }, { name: 'redemptions', columns: ['order_id', 'channel'] }], resources: ['rds'], kinds: CODE_HEAVY, weight: 3, fragile: 0.3 },
  tax: { lang: 'java', module: 'calculation', entity: 'TaxLine', clients: [{ name: 'avalara', op: 'calculate' }], keys: [k('tax.provider.timeout_ms', 800, 'ms')], tables: [{ name: 'tax_rates', columns: ['jurisdiction_code', 'effective_from'] }], resources: ['rds'], kinds: CODE_HEAVY, weight: 2, fragile: 0.2 },
  cart: { lang: 'ts', module: 'basket', entity: 'Cart', clients: [{ name: 'pricing', op: 'priceItems' }, { name: 'inventory', op: 'reserveStock' }, { name: 'delivery-promise', op: 'getPromise' }, { name: 'promotions', op: 'applyVouchers' }], keys: [k('cart.ttl_days', 30, 'days', false), k('cart.max_items', 100, 'count', false), k('cart.pricing.timeout_ms', 400, 'ms')], tables: [{ name: 'carts', columns: ['channel', 'store_id'] }, { name: 'cart_items', columns: ['gift_message', 'promise_date'] }], resources: ['redis', 'rds'], kinds: CODE_HEAVY, weight: 6, fragile: 0.6 },
  checkout: { lang: 'java', module: 'placement', entity: 'Checkout', clients: [{ name: 'payments', op: 'authorise' }, { name: 'order-pipeline', op: 'placeOrder' }, { name: 'tax', op: 'calculateTax' }], keys: [k('checkout.timeout_ms', 9000, 'ms'), k('checkout.address.validation_timeout_ms', 700, 'ms'), k('checkout.idempotency.window_s', 600, 's')], tables: [{ name: 'checkout_sessions', columns: ['delivery_slot_id', 'payment_method'] }], resources: ['rds', 'redis'], kinds: CODE_HEAVY, weight: 6, fragile: 0.6 },
  'fraud-detection': { lang: 'python', module: 'scoring', entity: 'Score', clients: [{ name: 'feature-store', op: 'get_features' }], keys: [k('fraud.score.threshold', 0.92, 'ratio'), k('fraud.fail_open_ms', 250, 'ms')], tables: [], resources: ['s3', 'redis'], kinds: CODE_ONLY, weight: 2.5, fragile: 0.3 },
  payments: { lang: 'go', module: 'capture', entity: 'Payment', clients: [{ name: 'acquirer', op: 'Authorise' }, { name: 'fraud-detection', op: 'Score' }], keys: [k('payments.auth.timeout_ms', 7500, 'ms'), k('payments.capture.max_retries', 3, 'count', false), k('payments.3ds.challenge_window_s', 300, 's')], tables: [{ name: 'payment_attempts', columns: ['acquirer_ref', 'three_ds_version'] }, { name: 'refunds', columns: ['reason_code', 'initiated_by'] }], resources: ['aurora', 'sqs'], kinds: CODE_HEAVY, weight: 5, fragile: 0.5 },
  'orders-db': { lang: 'hcl', module: 'migrations', entity: 'Order', clients: [], keys: [k('orders_db.statement_timeout_ms', 30000, 'ms')], tables: [{ name: 'orders', columns: ['promise_date', 'channel'] }, { name: 'order_lines', columns: ['fulfilment_node', 'gift_wrap'] }, { name: 'order_events', columns: ['correlation_id', 'source'] }], resources: ['aurora'], kinds: [['schema', 60], ['infra', 40]], weight: 2.5, fragile: 0.4 },
  'order-pipeline': { lang: 'kotlin', module: 'placement', entity: 'Order', clients: [{ name: 'inventory', op: 'commitReservation' }, { name: 'events-bus', op: 'publishOrderPlaced' }], keys: [k('orders.consumer.concurrency', 16, 'count', false), k('orders.placement.timeout_ms', 3000, 'ms')], tables: [{ name: 'processed_events', columns: ['consumer_group', 'handled_at'] }, { name: 'order_state_history', columns: ['actor', 'reason'] }], resources: ['ecs', 'sqs'], kinds: CODE_HEAVY, weight: 5, fragile: 0.5 },
  returns: { lang: 'kotlin', module: 'refund', entity: 'ReturnRequest', clients: [{ name: 'payments', op: 'refund' }, { name: 'carrier-labels', op: 'createLabel' }], keys: [k('returns.window_days', 30, 'days', false)], tables: [{ name: 'return_requests', columns: ['label_url', 'drop_off_point'] }], resources: ['rds'], kinds: CODE_HEAVY, weight: 2, fragile: 0.1 },
  notifications: { lang: 'ts', module: 'channels', entity: 'Notification', clients: [{ name: 'sendgrid', op: 'send' }, { name: 'customer-accounts', op: 'getPreferences' }], keys: [k('notifications.sms.rate_limit_per_min', 600, 'count', false)], tables: [{ name: 'sent_messages', columns: ['provider_id', 'template_version'] }], resources: ['sqs'], kinds: CODE_HEAVY, weight: 2.5, fragile: 0.1 },
  inventory: { lang: 'go', module: 'reservation', entity: 'Reservation', clients: [{ name: 'warehouse', op: 'Allocate' }, { name: 'events-bus', op: 'PublishStockChanged' }], keys: [k('inventory.reservation.ttl_s', 900, 's'), k('inventory.allocator.timeout_ms', 800, 'ms'), k('inventory.safety_stock.units', 2, 'count')], tables: [{ name: 'stock_levels', columns: ['safety_stock', 'last_counted_at'] }, { name: 'reservations', columns: ['channel', 'expires_at'] }], resources: ['aurora', 'redis'], kinds: CODE_HEAVY, weight: 5, fragile: 0.5 },
  'delivery-promise': { lang: 'kotlin', module: 'promise', entity: 'DeliveryPromise', clients: [{ name: 'carrier-api', op: 'getServiceLevels' }, { name: 'inventory', op: 'getStockLocations' }], keys: [k('delivery.promise.max_days', 10, 'days'), k('delivery.cutoff.buffer_minutes', 45, 'minutes'), k('delivery.carrier.timeout_ms', 600, 'ms')], tables: [{ name: 'carrier_calendars', columns: ['region', 'non_working_date'] }], resources: ['redis'], kinds: [['code', 70], ['config', 20], ['infra', 10]], weight: 4, fragile: 0.6 },
  fulfilment: { lang: 'go', module: 'waves', entity: 'Shipment', clients: [{ name: 'carrier-api', op: 'BookCollection' }, { name: 'wms', op: 'ReleaseWave' }], keys: [k('fulfilment.wave.size', 400, 'count', false)], tables: [{ name: 'shipments', columns: ['carrier_ref', 'weight_grams'] }], resources: ['rds', 'sqs'], kinds: CODE_HEAVY, weight: 3, fragile: 0.2 },
  'store-locator': { lang: 'ts', module: 'stores', entity: 'Store', clients: [{ name: 'inventory', op: 'getStoreStock' }], keys: [], tables: [], resources: [], kinds: [['code', 95], ['config', 5]], weight: 1.5, fragile: 0 },
  'data-warehouse': { lang: 'python', module: 'models', entity: 'Model', clients: [], keys: [], tables: [{ name: 'fct_orders', columns: ['promise_date', 'channel'] }, { name: 'dim_products', columns: ['brand', 'energy_rating'] }], resources: ['redshift', 's3'], kinds: [['schema', 45], ['code', 35], ['infra', 20]], weight: 2.5, fragile: 0.1 },
  'billing-data': { lang: 'python', module: 'allocation', entity: 'Allocation', clients: [{ name: 's3', op: 'get_object' }], keys: [], tables: [{ name: 'cost_allocations', columns: ['cost_center', 'amortised_usd'] }], resources: ['s3', 'redshift'], kinds: CODE_HEAVY, weight: 2, fragile: 0.1 },
  'cost-explorer': { lang: 'ts', module: 'reports', entity: 'CostReport', clients: [{ name: 'billing-data', op: 'getAllocations' }], keys: [], tables: [{ name: 'saved_reports', columns: ['owner_team', 'granularity'] }], resources: ['ecs', 'rds'], kinds: CODE_HEAVY, weight: 2, fragile: 0.2 },
};

export function profileOf(slug: string): Profile {
  const p = profiles[slug];
  if (!p) throw new Error(`no template profile for ${slug}`);
  return p;
}

export const camel = (s: string): string => s.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const pascal = (s: string): string => { const c = camel(s); return c.charAt(0).toUpperCase() + c.slice(1); };
export const snake = (s: string): string => s.replace(/-/g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
export const upper = (s: string): string => snake(s).toUpperCase();
export const kebab = (s: string): string => snake(s).replace(/_/g, '-');

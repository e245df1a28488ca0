// Words for a large retailer's engineering organisation: business domains with the services
// they run, the foundation everything stands on, and people's names. Each domain names the
// demo service whose change templates fit it (its "archetype"), so generated diffs look real.

export interface DomainSpec {
  system: string;
  /** Demo service slugs whose templates fit this domain's code. */
  archetypes: string[];
  nouns: string[];
}

export const DOMAINS: DomainSpec[] = [
  { system: 'identity', archetypes: ['identity', 'customer-accounts'], nouns: ['accounts', 'sessions', 'oauth', 'mfa', 'consent', 'profiles', 'passwordless', 'staff-sso', 'device-registry', 'gdpr-requests', 'login', 'risk-signals'] },
  { system: 'catalog', archetypes: ['catalog'], nouns: ['products', 'categories', 'attributes', 'media', 'brands', 'feeds', 'taxonomy', 'bundles', 'variants', 'enrichment', 'sizing', 'labels'] },
  { system: 'search', archetypes: ['search'], nouns: ['query', 'autocomplete', 'ranking', 'indexer', 'synonyms', 'facets', 'spellcheck', 'visual-search', 'boost-rules', 'search-analytics', 'suggestions', 'relevance'] },
  { system: 'pricing', archetypes: ['pricing'], nouns: ['price-engine', 'price-zones', 'multibuy', 'markdowns', 'price-history', 'competitor-prices', 'price-publisher', 'clearance', 'cost-prices', 'price-rules', 'margin', 'price-audit'] },
  { system: 'promotions', archetypes: ['promotions'], nouns: ['vouchers', 'campaigns', 'coupons', 'offers', 'gift-cards', 'deals', 'eligibility', 'redemptions', 'referrals', 'rewards', 'offer-engine', 'promo-calendar'] },
  { system: 'basket', archetypes: ['cart'], nouns: ['basket', 'saved-items', 'wishlist', 'basket-pricing', 'basket-merge', 'quick-buy', 'basket-events', 'basket-rules', 'save-for-later', 'basket-recovery', 'mini-basket', 'basket-limits'] },
  { system: 'checkout', archetypes: ['checkout', 'tax'], nouns: ['checkout-core', 'address-validation', 'delivery-slots', 'order-review', 'express-checkout', 'guest-checkout', 'checkout-events', 'tax-calc', 'duties', 'invoices', 'receipts', 'checkout-limits'] },
  { system: 'payments', archetypes: ['payments', 'fraud-detection'], nouns: ['card-auth', 'capture', 'refunds', 'wallets', 'three-ds', 'payouts', 'settlement', 'chargebacks', 'bnpl', 'payment-methods', 'tokenisation', 'reconciliation'] },
  { system: 'orders', archetypes: ['order-pipeline', 'orders-db'], nouns: ['order-pipeline', 'order-store', 'order-events', 'order-history', 'amendments', 'cancellations', 'order-status', 'order-split', 'order-routing', 'order-audit', 'order-exports', 'order-notes'] },
  { system: 'inventory', archetypes: ['inventory'], nouns: ['stock-levels', 'reservations', 'allocation', 'safety-stock', 'stock-events', 'replenishment', 'stock-counts', 'availability', 'supplier-stock', 'stock-sync', 'transfers', 'stock-ledger'] },
  { system: 'delivery', archetypes: ['delivery-promise'], nouns: ['delivery-promise', 'carrier-gateway', 'shipping-rates', 'tracking', 'collection-points', 'delivery-calendar', 'route-planning', 'proof-of-delivery', 'carrier-labels', 'click-collect', 'same-day', 'slot-engine'] },
  { system: 'fulfilment', archetypes: ['fulfilment'], nouns: ['wave-planning', 'picking', 'packing', 'dispatch', 'warehouse-gateway', 'wms-adapter', 'returns-processing', 'labour-planning', 'dock-scheduling', 'putaway', 'cycle-counts', 'fulfilment-events'] },
  { system: 'stores', archetypes: ['store-locator', 'inventory'], nouns: ['store-locator', 'store-ops', 'pos-gateway', 'till-sync', 'shelf-labels', 'store-stock', 'colleague-app', 'store-orders', 'store-pricing', 'click-reserve', 'store-tasks', 'footfall'] },
  { system: 'marketplace', archetypes: ['catalog', 'returns'], nouns: ['sellers', 'listings', 'seller-onboarding', 'seller-payouts', 'commissions', 'seller-catalog', 'seller-orders', 'disputes', 'seller-ratings', 'seller-portal', 'seller-compliance', 'seller-returns'] },
  { system: 'loyalty', archetypes: ['promotions', 'customer-accounts'], nouns: ['points', 'member-tiers', 'member-offers', 'statements', 'partner-points', 'member-profile', 'rewards-catalog', 'loyalty-events', 'points-expiry', 'card-sync', 'personalised-offers', 'loyalty-ledger'] },
  { system: 'customer-service', archetypes: ['returns', 'notifications'], nouns: ['contact-centre', 'cases', 'chatbot', 'refund-desk', 'callbacks', 'knowledge-base', 'agent-desktop', 'complaints', 'goodwill', 'surveys', 'escalations', 'returns-portal'] },
  { system: 'marketing', archetypes: ['notifications'], nouns: ['email-campaigns', 'push', 'sms', 'audiences', 'consent-sync', 'journeys', 'affiliates', 'seo', 'content-cms', 'landing-pages', 'attribution', 'newsletters'] },
  { system: 'personalisation', archetypes: ['recommendations', 'fraud-detection'], nouns: ['recs', 'feature-store', 'model-serving', 'similar-items', 'bought-together', 'personalisation', 'trending', 'recs-training', 'embeddings', 'experiments', 'bandits', 'ab-testing'] },
  { system: 'data-platform', archetypes: ['data-warehouse'], nouns: ['warehouse', 'dbt-models', 'ingestion', 'cdc', 'data-catalog', 'quality-checks', 'bi-dashboards', 'reverse-etl', 'ml-platform', 'lakehouse', 'data-exports', 'metrics-layer'] },
  { system: 'finance', archetypes: ['billing-data', 'cost-explorer'], nouns: ['billing-data', 'cost-explorer', 'budgets', 'chargeback', 'supplier-invoices', 'ledger', 'tax-reporting', 'revenue', 'payables', 'expenses', 'forecasting', 'procurement'] },
  { system: 'merchandising', archetypes: ['catalog', 'data-warehouse'], nouns: ['range-planning', 'assortment', 'planograms', 'buying', 'supplier-portal', 'product-onboarding', 'space-planning', 'trading-dashboards', 'demand-forecast', 'allocation-planning', 'markdown-planning', 'sourcing'] },
  { system: 'mobile', archetypes: ['product-pages', 'cart'], nouns: ['ios-bff', 'android-bff', 'app-config', 'deep-links', 'app-content', 'app-inbox', 'app-auth', 'app-search', 'app-basket', 'app-home', 'app-account', 'app-releases'] },
  { system: 'web', archetypes: ['product-pages', 'design-system'], nouns: ['storefront', 'product-pages', 'listing-pages', 'homepage', 'account-pages', 'help-centre', 'design-system', 'web-bff', 'edge-rendering', 'content-pages', 'basket-page', 'checkout-pages'] },
  { system: 'security', archetypes: ['observability', 'identity'], nouns: ['siem', 'vuln-scanner', 'secrets-rotation', 'waf-rules', 'access-reviews', 'bot-defence', 'dlp', 'key-management', 'audit-shipper', 'threat-intel', 'pentest-tracker', 'cert-monitor'] },
  { system: 'developer-experience', archetypes: ['developer-portal'], nouns: ['developer-portal', 'ci-templates', 'build-cache', 'test-grid', 'preview-envs', 'scorecards', 'release-train', 'code-search', 'dependency-bot', 'docs-site', 'sandbox', 'feature-previews'] },
];

/** Variants of a domain service, with a layer hint: 1 platform, 2 domain core, 3 experience, 4 batch/tools. */
export const VARIANTS: [suffix: string, layer: number][] = [
  ['', 1], ['-events', 1], ['-store', 1],
  ['-api', 2], ['-core', 2], ['-eu', 2], ['-us', 2], ['-uk', 2], ['-apac', 2], ['-v2', 2], ['-gateway', 2],
  ['-web', 3], ['-app', 3], ['-stores', 3], ['-b2b', 3], ['-admin', 3], ['-partner', 3],
  ['-worker', 4], ['-batch', 4], ['-jobs', 4], ['-sync', 4], ['-reports', 4],
];

export interface FoundationSpec { slug: string; name: string; archetype: string; team: string; hub: number }

/** The ground every team stands on; `hub` is how strongly others depend on it (the most central first). */
export const FOUNDATION: FoundationSpec[] = [
  { slug: 'dns-resolver', name: 'DNS resolvers', archetype: 'dns-resolver', team: 'edge-networking', hub: 60 },
  { slug: 'config-service', name: 'Config service', archetype: 'config-service', team: 'core-platform', hub: 80 },
  { slug: 'service-mesh', name: 'Service mesh', archetype: 'k8s-platform', team: 'core-platform', hub: 55 },
  { slug: 'identity-core', name: 'Identity core', archetype: 'identity', team: 'identity-platform', hub: 45 },
  { slug: 'k8s-platform-eu', name: 'Kubernetes platform (EU)', archetype: 'k8s-platform', team: 'core-platform', hub: 35 },
  { slug: 'events-bus', name: 'Events bus', archetype: 'events-bus', team: 'core-platform', hub: 35 },
  { slug: 'observability-metrics', name: 'Metrics and alerting', archetype: 'observability', team: 'sre', hub: 20 },
  { slug: 'edge-router', name: 'Edge router', archetype: 'edge-router', team: 'edge-networking', hub: 15 },
  { slug: 'k8s-platform-us', name: 'Kubernetes platform (US)', archetype: 'k8s-platform', team: 'core-platform', hub: 18 },
  { slug: 'feature-flags', name: 'Feature flags', archetype: 'feature-flags', team: 'core-platform', hub: 25 },
  { slug: 'secrets-vault', name: 'Secrets vault', archetype: 'k8s-platform', team: 'security-platform', hub: 22 },
  { slug: 'postgres-fleet', name: 'PostgreSQL fleet', archetype: 'orders-db', team: 'data-infra', hub: 14 },
  { slug: 'redis-fleet', name: 'Redis fleet', archetype: 'k8s-platform', team: 'data-infra', hub: 12 },
  { slug: 'api-gateway', name: 'API gateway', archetype: 'edge-router', team: 'edge-networking', hub: 10 },
  { slug: 'observability-logs', name: 'Log pipeline', archetype: 'observability', team: 'sre', hub: 10 },
  { slug: 'tracing-collector', name: 'Tracing collector', archetype: 'observability', team: 'sre', hub: 6 },
  { slug: 'object-storage', name: 'Object storage', archetype: 'k8s-platform', team: 'data-infra', hub: 6 },
  { slug: 'kafka-connect', name: 'Kafka Connect', archetype: 'events-bus', team: 'data-infra', hub: 4 },
  { slug: 'cdn-edge', name: 'CDN edge', archetype: 'edge-router', team: 'edge-networking', hub: 5 },
  { slug: 'job-scheduler', name: 'Job scheduler', archetype: 'k8s-platform', team: 'core-platform', hub: 4 },
  { slug: 'workflow-engine', name: 'Workflow engine', archetype: 'events-bus', team: 'core-platform', hub: 4 },
  { slug: 'search-cluster', name: 'Search cluster', archetype: 'k8s-platform', team: 'data-infra', hub: 3 },
  { slug: 'service-discovery', name: 'Service discovery', archetype: 'dns-resolver', team: 'edge-networking', hub: 6 },
  { slug: 'certificate-authority', name: 'Internal certificate authority', archetype: 'dns-resolver', team: 'security-platform', hub: 5 },
  { slug: 'iam-policies', name: 'Cloud IAM policies', archetype: 'k8s-platform', team: 'security-platform', hub: 4 },
  { slug: 'network-transit', name: 'Network transit', archetype: 'dns-resolver', team: 'edge-networking', hub: 3 },
  { slug: 'ci-runners', name: 'CI runners', archetype: 'k8s-platform', team: 'developer-platform', hub: 2 },
  { slug: 'artifact-registry', name: 'Artifact registry', archetype: 'k8s-platform', team: 'developer-platform', hub: 2 },
  { slug: 'container-registry', name: 'Container registry', archetype: 'k8s-platform', team: 'developer-platform', hub: 3 },
  { slug: 'email-relay', name: 'E-mail relay', archetype: 'notifications', team: 'core-platform', hub: 2 },
  { slug: 'sms-gateway', name: 'SMS gateway', archetype: 'notifications', team: 'core-platform', hub: 1.5 },
  { slug: 'stream-processor', name: 'Stream processor', archetype: 'events-bus', team: 'data-infra', hub: 2 },
  { slug: 'data-lake', name: 'Data lake', archetype: 'data-warehouse', team: 'data-infra', hub: 2 },
  { slug: 'cache-proxy', name: 'Cache proxy', archetype: 'k8s-platform', team: 'core-platform', hub: 3 },
  { slug: 'vpn-gateway', name: 'VPN gateway', archetype: 'dns-resolver', team: 'edge-networking', hub: 1 },
  { slug: 'ntp-time', name: 'Time service', archetype: 'dns-resolver', team: 'edge-networking', hub: 1 },
  { slug: 'rate-limiter', name: 'Global rate limiter', archetype: 'edge-router', team: 'edge-networking', hub: 3 },
  { slug: 'k8s-platform-stores', name: 'Kubernetes platform (stores)', archetype: 'k8s-platform', team: 'core-platform', hub: 2 },
  { slug: 'dns-resolver-legacy', name: 'Legacy DNS (BIND)', archetype: 'dns-resolver', team: 'edge-networking', hub: 1 },
  { slug: 'backup-service', name: 'Backups', archetype: 'orders-db', team: 'data-infra', hub: 1 },
];

export const FOUNDATION_TEAMS: { slug: string; name: string }[] = [
  { slug: 'edge-networking', name: 'Edge & Networking' },
  { slug: 'core-platform', name: 'Core Platform' },
  { slug: 'sre', name: 'Site Reliability' },
  { slug: 'identity-platform', name: 'Identity Platform' },
  { slug: 'security-platform', name: 'Security Platform' },
  { slug: 'data-infra', name: 'Data Infrastructure' },
  { slug: 'developer-platform', name: 'Developer Platform' },
];

export const FIRST_NAMES = [
  'Amara', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hiro', 'Isla', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya',
  'Quinn', 'Rafael', 'Sofia', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zara', 'Aiden', 'Bea', 'Carlos', 'Dina', 'Emeka', 'Freya',
  'Gabriel', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Oscar', 'Pia', 'Rhys', 'Saanvi', 'Tom', 'Ugo', 'Valentina', 'Will',
  'Yara', 'Zeynep', 'Ali', 'Bianca', 'Cian', 'Daria', 'Eitan', 'Fatima', 'Gustav', 'Ines', 'Jamal', 'Keira', 'Luca', 'Mei', 'Nikhil', 'Orla',
];

export const LAST_NAMES = [
  'Adeyemi', 'Bauer', 'Chen', 'Dubois', 'Eriksen', 'Fernandes', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Kowalski', 'Larsen', 'Murphy', 'Nakamura',
  'Okafor', 'Patel', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Varga', 'Walsh', 'Xu', 'Yilmaz', 'Zhang', 'Andersson', 'Byrne',
  'Costa', 'Dimitrov', 'Evans', 'Fischer', 'Gupta', 'Horvath', 'Ivanova', 'Jovanovic', 'Kaur', 'Lopez', 'Mensah', 'Novak', 'OBrien', 'Petrov',
  'Reyes', 'Silva', 'Thompson', 'Ueda', 'Vidal', 'Wright', 'Yamamoto', 'Zielinski', 'Ahmed', 'Berg', 'Campbell', 'Demir', 'Eze', 'Fontaine',
];

/** Coding agents that open changes themselves, with the tool they run. */
export const AGENT_BOTS: Record<string, string> = {
  'kiro-agent[bot]': 'Kiro',
  'devin-ai[bot]': 'Devin',
  'copilot-swe-agent[bot]': 'GitHub Copilot coding agent',
  'claude-code[bot]': 'Claude Code',
};
export const DEPENDENCY_BOTS = ['dependabot[bot]', 'renovate[bot]'];

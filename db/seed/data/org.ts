// Acme Retail's organisation: teams, the service catalog with its dependency graph,
// and the people who change it. Static data; the history and pending changes refer to it by slug/handle.
import type { SeedPerson, SeedService, SeedTeam } from '../types';

export const ORG_DOMAIN = 'acme-retail.example';

export const teams: SeedTeam[] = [
  { slug: 'edge-networking', name: 'Edge & Networking', description: 'DNS, the edge router, TLS and the CDN in front of every storefront request.' },
  { slug: 'core-platform', name: 'Core Platform', description: 'Kubernetes, the event bus, config-service and feature flags: the ground every other team stands on.' },
  { slug: 'sre', name: 'Site Reliability', description: 'Observability, on-call tooling, the developer portal and the incident process.' },
  { slug: 'identity', name: 'Identity & Accounts', description: 'Sign-in, sessions, tokens and customer account data (GDPR requests included).' },
  { slug: 'discovery', name: 'Discovery', description: 'Catalog, search, product pages, recommendations and reviews: how customers find things.' },
  { slug: 'checkout', name: 'Checkout & Pricing', description: 'Cart, checkout, prices, promotions and tax: the last three clicks before revenue.' },
  { slug: 'payments', name: 'Payments & Fraud', description: 'Card authorisation and capture, wallets, refunds and the fraud model.' },
  { slug: 'orders', name: 'Order Management', description: 'The order pipeline from placement to hand-off, the orders database, returns and customer notifications.' },
  { slug: 'supply-chain', name: 'Supply Chain & Delivery', description: 'Stock levels, reservations, delivery promises, warehouse fulfilment and the store locator.' },
  { slug: 'finops-data', name: 'FinOps & Data Platform', description: 'The data warehouse, billing data and the cost explorer every team uses to see its cloud bill.' },
];

type S = SeedService;
const svc = (s: Omit<S, 'entityKind' | 'type'> & Partial<Pick<S, 'entityKind' | 'type'>>): S => ({ entityKind: 'Component', type: 'service', ...s });

export const services: SeedService[] = [
  // Edge & Networking
  svc({ slug: 'dns-resolver', name: 'DNS resolvers', tier: 1, team: 'edge-networking', system: 'network-edge', entityKind: 'Resource', type: 'dns', repo: 'acme/dns', language: 'hcl', dependsOn: [],
    description: 'Internal recursive resolvers (Unbound on Kubernetes) forwarding to the legacy BIND box dns-legacy-01 for acme.internal zones.' }),
  svc({ slug: 'edge-router', name: 'Edge router', tier: 1, team: 'edge-networking', system: 'network-edge', repo: 'acme/edge-router', language: 'go', dependsOn: ['dns-resolver'],
    description: 'Envoy-based edge: TLS termination, routing, rate limiting and bot filtering for www and the mobile API.' }),
  // Core Platform
  svc({ slug: 'k8s-platform', name: 'Kubernetes platform', tier: 1, team: 'core-platform', system: 'platform', entityKind: 'Resource', type: 'kubernetes-cluster', repo: 'acme/k8s-platform', language: 'hcl', dependsOn: ['dns-resolver'],
    description: 'The EKS clusters (prod-eu-west-1, prod-us-east-1), node groups, ingress controllers and cluster add-ons.' }),
  svc({ slug: 'events-bus', name: 'Events bus', tier: 1, team: 'core-platform', system: 'platform', entityKind: 'Resource', type: 'kafka-cluster', repo: 'acme/events-bus', language: 'hcl', dependsOn: ['k8s-platform', 'dns-resolver'],
    description: 'Amazon MSK (Kafka) cluster carrying order, stock and clickstream events between services.' }),
  svc({ slug: 'config-service', name: 'Config service', tier: 1, team: 'core-platform', system: 'platform', repo: 'acme/config-service', language: 'go', dependsOn: ['k8s-platform', 'dns-resolver'],
    description: 'Central runtime configuration: every service reads its timeouts, limits and switches from here at start-up and every 30 s.' }),
  svc({ slug: 'feature-flags', name: 'Feature flags', tier: 2, team: 'core-platform', system: 'platform', repo: 'acme/feature-flags', language: 'typescript', dependsOn: ['config-service'],
    description: 'Percentage roll-outs and kill switches, evaluated in-process from flag definitions served by config-service.' }),
  // SRE
  svc({ slug: 'observability', name: 'Observability stack', tier: 2, team: 'sre', system: 'platform', repo: 'acme/observability', language: 'hcl', dependsOn: ['k8s-platform'],
    description: 'Prometheus, Grafana, Loki and the alert rules that page on-call.' }),
  svc({ slug: 'developer-portal', name: 'Developer portal', tier: 3, team: 'sre', system: 'developer-experience', type: 'website', repo: 'acme/developer-portal', language: 'typescript', dependsOn: ['identity'],
    description: 'Backstage instance: service catalog, runbooks, scorecards and onboarding docs.' }),
  // Identity
  svc({ slug: 'identity', name: 'Identity', tier: 1, team: 'identity', system: 'identity', repo: 'acme/identity', language: 'kotlin', dependsOn: ['config-service', 'dns-resolver'],
    description: 'Sign-in, sessions and OAuth tokens for customers and staff; issues the JWTs every API checks.' }),
  svc({ slug: 'customer-accounts', name: 'Customer accounts', tier: 2, team: 'identity', system: 'identity', repo: 'acme/customer-accounts', language: 'kotlin', dependsOn: ['identity', 'config-service'],
    description: 'Profiles, addresses, marketing preferences and GDPR export/erasure jobs.' }),
  // Discovery
  svc({ slug: 'catalog', name: 'Catalog', tier: 1, team: 'discovery', system: 'storefront', repo: 'acme/catalog', language: 'kotlin', dependsOn: ['config-service', 'events-bus'],
    description: 'Product master data: 1.8M SKUs, attributes, media and category trees, fed by the merchandising feeds.' }),
  svc({ slug: 'search', name: 'Search', tier: 1, team: 'discovery', system: 'storefront', repo: 'acme/search', language: 'python', dependsOn: ['catalog', 'config-service'],
    description: 'OpenSearch-backed product search, autocomplete and ranking; indexes catalog changes within two minutes.' }),
  svc({ slug: 'recommendations', name: 'Recommendations', tier: 2, team: 'discovery', system: 'storefront', repo: 'acme/recommendations', language: 'python', dependsOn: ['catalog', 'events-bus'],
    description: '"Frequently bought together" and "you may also like" models, served from a feature store.' }),
  svc({ slug: 'reviews', name: 'Reviews', tier: 3, team: 'discovery', system: 'storefront', repo: 'acme/reviews', language: 'typescript', dependsOn: ['catalog', 'identity'],
    description: 'Customer ratings and reviews, moderation queue and the review widgets on product pages.' }),
  svc({ slug: 'design-system', name: 'Design system', tier: 3, team: 'discovery', system: 'storefront', type: 'library', repo: 'acme/design-system', language: 'typescript', dependsOn: [],
    description: 'React component library and design tokens shared by every web front end.' }),
  svc({ slug: 'product-pages', name: 'Product pages', tier: 1, team: 'discovery', system: 'storefront', type: 'website', repo: 'acme/product-pages', language: 'typescript',
    dependsOn: ['catalog', 'pricing', 'inventory', 'delivery-promise', 'reviews', 'recommendations', 'feature-flags', 'edge-router', 'design-system'],
    description: 'Next.js storefront for product detail and listing pages: price, stock, delivery date and reviews in one render.' }),
  // Checkout & Pricing
  svc({ slug: 'pricing', name: 'Pricing', tier: 1, team: 'checkout', system: 'commerce', repo: 'acme/pricing', language: 'kotlin', dependsOn: ['catalog', 'config-service'],
    description: 'Base prices, price zones and multi-buy rules; answers 40k price lookups a second at peak.' }),
  svc({ slug: 'promotions', name: 'Promotions', tier: 2, team: 'checkout', system: 'commerce', repo: 'acme/promotions', language: 'kotlin', dependsOn: ['pricing', 'feature-flags'],
    description: 'Vouchers, promo codes and campaign discounts applied in the basket.' }),
  svc({ slug: 'tax', name: 'Tax', tier: 2, team: 'checkout', system: 'commerce', repo: 'acme/tax', language: 'java', dependsOn: ['config-service'],
    description: 'VAT and US sales-tax calculation per line item and ship-to address.' }),
  svc({ slug: 'cart', name: 'Cart', tier: 1, team: 'checkout', system: 'commerce', repo: 'acme/cart', language: 'typescript',
    dependsOn: ['pricing', 'promotions', 'inventory', 'delivery-promise', 'identity', 'config-service'],
    description: 'The basket: items, quantities, prices, promotions and the delivery promise shown before checkout.' }),
  svc({ slug: 'checkout', name: 'Checkout', tier: 1, team: 'checkout', system: 'commerce', repo: 'acme/checkout', language: 'java',
    dependsOn: ['cart', 'payments', 'tax', 'identity', 'order-pipeline', 'fraud-detection', 'delivery-promise'],
    description: 'Address, delivery slot, payment and order placement: turns a cart into an order.' }),
  // Payments & Fraud
  svc({ slug: 'fraud-detection', name: 'Fraud detection', tier: 2, team: 'payments', system: 'payments', repo: 'acme/fraud-detection', language: 'python', dependsOn: ['events-bus', 'feature-flags'],
    description: 'Real-time fraud scoring of orders; fails open above 250 ms so it never blocks checkout.' }),
  svc({ slug: 'payments', name: 'Payments', tier: 1, team: 'payments', system: 'payments', repo: 'acme/payments', language: 'go', dependsOn: ['fraud-detection', 'config-service', 'identity'],
    description: 'Card authorisation (3DS2), capture, wallets and refunds through two acquirers.' }),
  // Order Management
  svc({ slug: 'orders-db', name: 'Orders database', tier: 1, team: 'orders', system: 'orders', entityKind: 'Resource', type: 'database', repo: 'acme/orders-db', language: 'hcl', dependsOn: [],
    description: 'Aurora PostgreSQL cluster holding orders, order lines and their state history.' }),
  svc({ slug: 'order-pipeline', name: 'Order pipeline', tier: 1, team: 'orders', system: 'orders', repo: 'acme/order-pipeline', language: 'kotlin', dependsOn: ['orders-db', 'events-bus', 'inventory', 'config-service'],
    description: 'Order placement, state machine and hand-off to fulfilment; the system of record for what a customer bought.' }),
  svc({ slug: 'returns', name: 'Returns', tier: 2, team: 'orders', system: 'orders', repo: 'acme/returns', language: 'kotlin', dependsOn: ['order-pipeline', 'payments'],
    description: 'Return requests, labels, refunds on receipt and the returns portal.' }),
  svc({ slug: 'notifications', name: 'Notifications', tier: 2, team: 'orders', system: 'orders', repo: 'acme/notifications', language: 'typescript', dependsOn: ['events-bus', 'customer-accounts', 'config-service'],
    description: 'Order, delivery and account e-mails, SMS and push; templates and sending providers.' }),
  // Supply Chain & Delivery
  svc({ slug: 'inventory', name: 'Inventory', tier: 1, team: 'supply-chain', system: 'supply-chain', repo: 'acme/inventory', language: 'go', dependsOn: ['config-service', 'events-bus'],
    description: 'Stock per SKU per location and short-lived reservations taken at add-to-cart and checkout.' }),
  svc({ slug: 'delivery-promise', name: 'Delivery promise', tier: 1, team: 'supply-chain', system: 'supply-chain', repo: 'acme/delivery-promise', language: 'kotlin', dependsOn: ['inventory', 'config-service'],
    description: 'Computes "arrives by" dates from stock location, carrier cut-offs and warehouse capacity.' }),
  svc({ slug: 'fulfilment', name: 'Fulfilment', tier: 2, team: 'supply-chain', system: 'supply-chain', repo: 'acme/fulfilment', language: 'go', dependsOn: ['order-pipeline', 'inventory'],
    description: 'Warehouse pick/pack waves, carrier booking and shipment tracking.' }),
  svc({ slug: 'store-locator', name: 'Store locator', tier: 3, team: 'supply-chain', system: 'supply-chain', type: 'website', repo: 'acme/store-locator', language: 'typescript', dependsOn: ['inventory'],
    description: 'Store finder, opening hours and click-and-collect availability per store.' }),
  // FinOps & Data Platform
  svc({ slug: 'data-warehouse', name: 'Data warehouse', tier: 2, team: 'finops-data', system: 'data', entityKind: 'Resource', type: 'database', repo: 'acme/data-warehouse', language: 'python', dependsOn: ['events-bus'],
    description: 'Redshift warehouse and the dbt models behind every dashboard and finance report.' }),
  svc({ slug: 'billing-data', name: 'Billing data', tier: 2, team: 'finops-data', system: 'finops', repo: 'acme/billing-data', language: 'python', dependsOn: ['data-warehouse'],
    description: 'Ingests AWS Cost and Usage Reports and allocates spend to teams and services by tag.' }),
  svc({ slug: 'cost-explorer', name: 'Cost explorer', tier: 2, team: 'finops-data', system: 'finops', type: 'website', repo: 'acme/cost-explorer', language: 'typescript', dependsOn: ['billing-data', 'identity'],
    description: 'Internal web app where every team sees and forecasts its cloud spend; runs in its own AWS account.' }),
];

type P = SeedPerson;
const human = (handle: string, name: string, level: number, role: P['role'], team: string | null, title: string): P => ({
  handle, name, email: `${handle}@${ORG_DOMAIN}`, level, role, team, isBot: false, githubLogin: `${handle}-acme`, title,
});
const bot = (handle: string, name: string, title: string): P => ({ handle, name, email: null, level: null, role: 'engineer', team: null, isBot: true, githubLogin: handle, title });

export const people: SeedPerson[] = [
  // Leadership
  human('mgrant', 'Michael Grant', 10, 'vp', null, 'VP Engineering'),
  human('scosta', 'Sofia Costa', 10, 'vp', null, 'VP Stores Technology'),
  human('cmoore', 'Catherine Moore', 9, 'director', 'core-platform', 'Director, Platform & Infrastructure'),
  human('asaleh', 'Ahmed Saleh', 9, 'director', 'checkout', 'Director, Digital Commerce'),
  human('rlin', 'Rebecca Lin', 9, 'director', 'supply-chain', 'Director, Fulfilment & Data'),
  human('admin', 'Pat Quinn', 8, 'admin', 'sre', 'Countersign administrator'),
  // A second administrator: raises, approver accounts and lower tiers need two (issue 10). No team, so no history.
  human('admin2', 'Jordan Reyes', 8, 'admin', null, 'Countersign administrator'),
  // Edge & Networking
  human('mhalvorsen', 'Marit Halvorsen', 8, 'senior', 'edge-networking', 'Staff Engineer'),
  human('tokafor', 'Tobenna Okafor', 7, 'senior', 'edge-networking', 'Senior Engineer'),
  human('slund', 'Sven Lund', 7, 'senior', 'edge-networking', 'Senior Network Engineer'),
  human('rdesai', 'Riya Desai', 5, 'engineer', 'edge-networking', 'Engineer'),
  // Core Platform
  human('dkowalski', 'Dariusz Kowalski', 9, 'senior', 'core-platform', 'Principal Engineer'),
  human('lnguyen', 'Linh Nguyen', 7, 'senior', 'core-platform', 'Senior Engineer'),
  human('jfarrell', 'Jamie Farrell', 7, 'senior', 'core-platform', 'Senior Engineer'),
  human('ebrandt', 'Erik Brandt', 6, 'engineer', 'core-platform', 'Platform Engineer'),
  // SRE
  human('nhaddad', 'Noor Haddad', 7, 'senior', 'sre', 'Senior SRE'),
  human('ipetrov', 'Ivan Petrov', 6, 'engineer', 'sre', 'SRE'),
  // Identity
  human('akimura', 'Aiko Kimura', 8, 'senior', 'identity', 'Staff Engineer'),
  human('bmensah', 'Ben Mensah', 7, 'senior', 'identity', 'Senior Engineer'),
  human('gliu', 'Grace Liu', 7, 'senior', 'identity', 'Senior Security Engineer'),
  human('cruiz', 'Carla Ruiz', 5, 'engineer', 'identity', 'Engineer'),
  // Discovery
  human('pgarnier', 'Pauline Garnier', 8, 'senior', 'discovery', 'Staff Engineer'),
  human('hlindqvist', 'Henrik Lindqvist', 7, 'senior', 'discovery', 'Senior Engineer'),
  human('nosei', 'Nana Osei', 7, 'senior', 'discovery', 'Senior Engineer'),
  human('tbrooks', 'Tyler Brooks', 4, 'engineer', 'discovery', 'Associate Engineer'),
  // Checkout & Pricing
  human('mrossi', 'Marco Rossi', 8, 'senior', 'checkout', 'Staff Engineer'),
  human('sahmed', 'Sara Ahmed', 7, 'senior', 'checkout', 'Senior Engineer'),
  human('jwhitaker', 'Jon Whitaker', 7, 'senior', 'checkout', 'Senior Engineer'),
  human('kchen', 'Kevin Chen', 5, 'engineer', 'checkout', 'Engineer'),
  // Payments & Fraud
  human('vpetrova', 'Vera Petrova', 9, 'senior', 'payments', 'Principal Engineer'),
  human('tnowak', 'Tomasz Nowak', 8, 'senior', 'payments', 'Staff Engineer'),
  human('gmorales', 'Gabriel Morales', 7, 'senior', 'payments', 'Senior Engineer'),
  human('lfischer', 'Lena Fischer', 6, 'engineer', 'payments', 'Data Scientist'),
  // Order Management
  human('praman', 'Priya Raman', 8, 'senior', 'orders', 'Staff Engineer'),
  human('dobrien', "Declan O'Brien", 7, 'senior', 'orders', 'Senior Engineer'),
  human('kjohnson', 'Keisha Johnson', 7, 'senior', 'orders', 'Senior Engineer'),
  human('mwojcik', 'Magda Wójcik', 5, 'engineer', 'orders', 'Engineer'),
  // Supply Chain & Delivery
  human('fadeyemi', 'Funmi Adeyemi', 8, 'senior', 'supply-chain', 'Staff Engineer'),
  human('cdubois', 'Claire Dubois', 7, 'senior', 'supply-chain', 'Senior Engineer'),
  human('omartin', 'Oliver Martin', 7, 'senior', 'supply-chain', 'Senior Engineer'),
  human('jpark', 'Jisoo Park', 5, 'engineer', 'supply-chain', 'Engineer'),
  // FinOps & Data Platform
  human('hberg', 'Hannah Berg', 7, 'senior', 'finops-data', 'Senior Data Engineer'),
  human('dalvarez', 'Diego Alvarez', 6, 'engineer', 'finops-data', 'Data Engineer'),
  // AI agents and bots: they author changes, never approve them.
  bot('kiro-agent[bot]', 'Kiro (AI agent)', 'Autonomous coding agent'),
  bot('copilot-swe-agent[bot]', 'Copilot coding agent', 'Autonomous coding agent'),
  bot('devin-ai[bot]', 'Devin (AI agent)', 'Autonomous coding agent'),
  bot('dependabot[bot]', 'Dependabot', 'Dependency update bot'),
];

/** The agents that author changes with ai.level 'agent', and the tool name each reports. */
export const AGENT_TOOLS: Record<string, string> = {
  'kiro-agent[bot]': 'Kiro',
  'copilot-swe-agent[bot]': 'GitHub Copilot coding agent',
  'devin-ai[bot]': 'Devin',
};

const serviceBySlug = new Map(services.map((s) => [s.slug, s]));
const personByHandle = new Map(people.map((p) => [p.handle, p]));

export function getService(slug: string): SeedService {
  const s = serviceBySlug.get(slug);
  if (!s) throw new Error(`unknown service ${slug}`);
  return s;
}

export function getPerson(handle: string): SeedPerson {
  const p = personByHandle.get(handle);
  if (!p) throw new Error(`unknown person ${handle}`);
  return p;
}

/** Services that (transitively) depend on `slug`: its blast radius. */
export function dependentsOf(slug: string): SeedService[] {
  const seen = new Set<string>();
  const queue = [slug];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const s of services) {
      if (s.dependsOn.includes(current) && !seen.has(s.slug)) {
        seen.add(s.slug);
        queue.push(s.slug);
      }
    }
  }
  return services.filter((s) => seen.has(s.slug));
}

/** Seniors of a team who may sign off (L7+ humans), in a stable order. */
export function seniorsOf(team: string): SeedPerson[] {
  return people.filter((p) => p.team === team && p.role === 'senior' && !p.isBot && (p.level ?? 0) >= 7);
}

/** Everyone who writes code in a team (engineers and seniors). */
export function membersOf(team: string): SeedPerson[] {
  return people.filter((p) => p.team === team && (p.role === 'engineer' || p.role === 'senior') && !p.isBot);
}

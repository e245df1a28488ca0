// The low end of the demo queue, plus changes with a second revision: typo fixes, dependency
// bumps, small features on Tier-2/3 services, and reworked changes whose first approval went stale.
import { added, hunk, modified } from './diff';
import type { PendingSpec } from './pending-spec';

const inventoryTtl = (withMetric: boolean) => modified('internal/reservation/service.go', hunk(34, 'func (s *Service) Reserve(ctx context.Context, req ReserveRequest) (*Reservation, error) {', `
 \tif err := req.Validate(); err != nil {
 \t\treturn nil, err
 \t}
-\tttl := s.cfg.ReservationTTL
+\t// Checkout reservations live long enough for a 3DS2 challenge; cart reservations are short.
+\tttl := s.cfg.CartReservationTTL
+\tif req.Channel == ChannelCheckout {
+\t\tttl = s.cfg.CheckoutReservationTTL
+\t}${withMetric ? `
+\treservationTTL.WithLabelValues(string(req.Channel)).Observe(ttl.Seconds())` : ''}
 \tres, err := s.store.Reserve(ctx, req.SKU, req.Location, req.Quantity, ttl)
`));

export const smallPending: PendingSpec[] = [
  {
    key: 'billing-fx-daily',
    services: ['billing-data'],
    author: 'hberg',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 27,
    title: 'billing-data: convert USD line items with the daily ECB rate, not the monthly average',
    description: 'Finance reconciles against the daily rate; the monthly average put some teams 2–3% off in GBP during volatile weeks.',
    files: [modified('acme_billing_data/allocation/fx.py', hunk(11, '', `
 def to_gbp(amount_usd: Decimal, usage_date: date) -> Decimal:
-    rate = rates.monthly_average("USD", "GBP", usage_date.replace(day=1))
+    rate = rates.daily("USD", "GBP", usage_date)
     return (amount_usd * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
`)), modified('tests/allocation/test_fx.py', hunk(8, '', `
-def test_to_gbp_uses_monthly_average(rates_fixture):
-    assert to_gbp(Decimal("100"), date(2026, 1, 14)) == Decimal("79.12")
+def test_to_gbp_uses_daily_rate(rates_fixture):
+    assert to_gbp(Decimal("100"), date(2026, 1, 14)) == Decimal("78.86")
`))],
  },
  {
    key: 'cost-explorer-node22',
    services: ['cost-explorer'],
    author: 'kiro-agent[bot]',
    coAuthors: ['dalvarez'],
    kind: 'infra',
    ai: { level: 'agent', tool: 'Kiro' },
    preDeploy: true,
    hoursAgo: 14,
    title: 'cost-explorer: move runtime to Node.js 22 LTS',
    description: 'Node 20 leaves active LTS; 22 is the current LTS. Updates the base image and the engines field. Build and tests pass on 22.\n\n🤖 Opened by Kiro on behalf of @dalvarez.',
    files: [modified('Dockerfile', hunk(1, '', `
-FROM node:20.18-alpine3.20 AS build
+FROM node:22.12-alpine3.21 AS build
 WORKDIR /app
 COPY package.json package-lock.json ./
 RUN npm ci
`), hunk(12, '', `
-FROM node:20.18-alpine3.20 AS runtime
+FROM node:22.12-alpine3.21 AS runtime
 WORKDIR /app
 ENV NODE_ENV=production
`)), modified('package.json', hunk(5, '', `
   "engines": {
-    "node": ">=20.9 <21"
+    "node": ">=22.11 <23"
   },
`))],
  },
  {
    key: 'alerts-checkout-burn',
    services: ['observability'],
    author: 'ipetrov',
    kind: 'config',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 8,
    title: 'observability: page on checkout SLO fast burn instead of raw error rate',
    description: 'Replaces the 2% error-rate alert with a multi-window burn-rate alert on the 99.9% checkout SLO (14.4× over 5m and 1h). Fewer pages for blips, faster pages for real outages.',
    files: [modified('alerts/checkout.yaml', hunk(8, '', `
     rules:
-      - alert: CheckoutHighErrorRate
-        expr: |
-          sum(rate(http_requests_total{service="checkout",code=~"5.."}[5m]))
-            / sum(rate(http_requests_total{service="checkout"}[5m])) > 0.02
-        for: 5m
+      - alert: CheckoutSLOFastBurn
+        expr: |
+          slo:checkout_errors:ratio_rate5m > (14.4 * 0.001)
+          and
+          slo:checkout_errors:ratio_rate1h > (14.4 * 0.001)
+        for: 2m
         labels:
           severity: page
`))],
  },
  {
    key: 'fulfilment-carrier-retry',
    services: ['fulfilment'],
    author: 'omartin',
    kind: 'code',
    ai: { level: 'assisted', tool: 'GitHub Copilot' },
    preDeploy: true,
    hoursAgo: 36,
    title: 'fulfilment: retry carrier collection bookings on 429 with Retry-After',
    description: 'The carrier API started rate-limiting bursty wave releases at 06:00. Honour Retry-After (capped at 10 s) instead of failing the whole wave.',
    files: [modified('internal/clients/carrierapi/client.go', hunk(72, 'func (c *Client) BookCollection(ctx context.Context, req BookingRequest) (*Booking, error) {', `
 \tresp, err := c.http.Do(httpReq)
 \tif err != nil {
 \t\treturn nil, err
 \t}
 \tdefer resp.Body.Close()
+\tif resp.StatusCode == http.StatusTooManyRequests && attempt < maxAttempts {
+\t\twait := min(retryAfter(resp.Header.Get("Retry-After")), 10*time.Second)
+\t\tselect {
+\t\tcase <-ctx.Done():
+\t\t\treturn nil, ctx.Err()
+\t\tcase <-time.After(wait):
+\t\t}
+\t\treturn c.bookCollection(ctx, req, attempt+1)
+\t}
`)), modified('internal/clients/carrierapi/client_test.go', hunk(55, '', `
 }
+
+func TestBookCollectionHonoursRetryAfter(t *testing.T) {
+\tsrv := sequenceServer(t, response{status: 429, header: "Retry-After: 1"}, response{status: 201, body: \`{"id":"c-1"}\`})
+\tbooking, err := New(srv.URL).BookCollection(context.Background(), BookingRequest{Wave: "w-42"})
+\tif err != nil || booking.ID != "c-1" {
+\t\tt.Fatalf("booking = %v, err = %v", booking, err)
+\t}
+}
`))],
  },
  {
    key: 'returns-window',
    services: ['returns'],
    author: 'dobrien',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 55,
    title: 'returns: extend the returns window to 45 days for orders placed in December',
    description: 'Christmas returns policy agreed with the commercial team: orders placed 1–31 December can be returned until 14 February.',
    files: [modified('src/main/kotlin/com/acme/returns/refund/ReturnWindow.kt', hunk(9, '', `
 fun returnDeadline(placedAt: LocalDate): LocalDate =
-    placedAt.plusDays(30)
+    if (placedAt.month == Month.DECEMBER) maxOf(placedAt.plusDays(45), LocalDate.of(placedAt.year + 1, 2, 14))
+    else placedAt.plusDays(30)
`)), modified('src/test/kotlin/com/acme/returns/refund/ReturnWindowTest.kt', hunk(12, '', `
     }
+
+    @Test
+    fun \`december orders can be returned until mid-February\`() {
+        assertEquals(LocalDate.of(2026, 2, 14), returnDeadline(LocalDate.of(2025, 12, 2)))
+    }
 }
`))],
  },
  {
    key: 'autoscaler-values',
    services: ['k8s-platform'],
    author: 'ebrandt',
    kind: 'config',
    ai: { level: 'generated', tool: 'Claude Code' },
    preDeploy: true,
    hoursAgo: 16,
    title: 'k8s-platform: cluster-autoscaler least-waste expander and faster scale-down',
    description: 'Nodes sit idle ~25 minutes after the nightly batch. least-waste plus a 5-minute scale-down delay saves an estimated £4.1k a month. Values generated with Claude Code from the chart docs.',
    files: [modified('charts/cluster-autoscaler/values-production.yaml', hunk(10, '', `
 extraArgs:
-  expander: random
-  scale-down-delay-after-add: 10m
-  scale-down-unneeded-time: 10m
+  expander: least-waste
+  scale-down-delay-after-add: 5m
+  scale-down-unneeded-time: 5m
   skip-nodes-with-local-storage: false
   balance-similar-node-groups: true
`))],
  },
  {
    key: 'pdp-lazy-reviews',
    services: ['product-pages'],
    author: 'tbrooks',
    kind: 'code',
    ai: { level: 'assisted', tool: 'GitHub Copilot' },
    preDeploy: true,
    hoursAgo: 11,
    title: 'product-pages: lazy-load the reviews widget below the fold',
    description: 'The reviews widget is 38 kB of JS and renders below the fold. Loading it on demand cuts LCP by ~180 ms on mid-range Android (WebPageTest run linked in the ticket).',
    files: [modified('src/pdp/ProductPage.tsx', hunk(3, '', `
 import { PriceBlock } from './PriceBlock';
 import { DeliveryPromise } from './DeliveryPromise';
-import { ReviewsWidget } from '@acme/reviews-widget';
+import dynamic from 'next/dynamic';
+
+const ReviewsWidget = dynamic(() => import('@acme/reviews-widget').then((m) => m.ReviewsWidget), {
+  ssr: false,
+  loading: () => <ReviewsSkeleton />,
+});
`))],
  },
  {
    key: 'inventory-reservation-ttl',
    services: ['inventory'],
    author: 'jpark',
    kind: 'code',
    ai: { level: 'generated', tool: 'Claude Code' },
    preDeploy: true,
    hoursAgo: 47,
    title: 'inventory: separate reservation TTLs for cart and checkout',
    description: 'Cart reservations hold stock for 15 minutes, which is too long during a sale and too short for a 3DS2 challenge at checkout. Splits the TTL by channel (config keys follow in config-service). Generated with Claude Code.',
    files: [inventoryTtl(false)],
    second: { hoursAgo: 20, files: [inventoryTtl(true), modified('internal/reservation/service_test.go', hunk(88, '', `
 }
+
+func TestCheckoutReservationsUseCheckoutTTL(t *testing.T) {
+\tsvc := newTestService(t, Config{CartReservationTTL: 5 * time.Minute, CheckoutReservationTTL: 20 * time.Minute})
+\tres, err := svc.Reserve(context.Background(), ReserveRequest{SKU: "sku-1", Location: "DC1", Quantity: 1, Channel: ChannelCheckout})
+\tif err != nil {
+\t\tt.Fatal(err)
+\t}
+\tif got := res.ExpiresAt.Sub(res.CreatedAt); got != 20*time.Minute {
+\t\tt.Fatalf("ttl = %v, want 20m", got)
+\t}
+}
`))] },
    approvals: [{ person: 'fadeyemi', decision: 'approve', comment: 'Approach is right. Please add a test for the checkout TTL and a metric so we can see the split.', minutesAfter: 180, revision: 0 }],
  },
  {
    key: 'identity-samesite',
    services: ['identity'],
    author: 'cruiz',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 70,
    title: 'identity: set SameSite=Lax on the session cookie',
    description: 'Security review finding SR-77: the session cookie has no SameSite attribute. Lax keeps top-level navigations (3DS2 returns, e-mail links) working.',
    files: [modified('src/main/kotlin/com/acme/identity/session/SessionCookie.kt', hunk(14, '', `
         .httpOnly(true)
         .secure(true)
+        .sameSite("Lax")
         .path("/")
`))],
    second: { hoursAgo: 30, files: [modified('src/main/kotlin/com/acme/identity/session/SessionCookie.kt', hunk(14, '', `
         .httpOnly(true)
         .secure(true)
+        // Lax, not Strict: the bank redirects back from 3DS2 with a top-level POST-then-GET.
+        .sameSite("Lax")
         .path("/")
`)), modified('src/test/kotlin/com/acme/identity/session/SessionCookieTest.kt', hunk(20, '', `
         assertTrue(cookie.isHttpOnly)
+        assertEquals("Lax", cookie.sameSite)
     }
`))] },
    approvals: [
      { person: 'akimura', decision: 'approve', comment: 'Good. Please assert it in SessionCookieTest too.', minutesAfter: 240, revision: 0 },
      { person: 'gliu', decision: 'approve', comment: 'Verified the 3DS2 return flow on staging with Lax. Approved.', minutesAfter: 90, revision: 1 },
    ],
  },
  {
    key: 'recs-model-v7',
    services: ['recommendations'],
    author: 'nosei',
    kind: 'config',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 19,
    title: 'recommendations: serve frequently-bought-together model v7 to 20% of traffic',
    description: 'v7 adds basket co-occurrence from store transactions. Offline: +6.1% recall@12. Online test at 20% for two weeks.',
    files: [modified('config/models.yaml', hunk(4, '', `
 fbt:
-  model: s3://acme-ml-models/fbt/v6/model.onnx
-  traffic_split: { v6: 100 }
+  model: s3://acme-ml-models/fbt/v6/model.onnx
+  candidate: s3://acme-ml-models/fbt/v7/model.onnx
+  traffic_split: { v6: 80, v7: 20 }
   timeout_ms: 120
`))],
    approvals: [{ person: 'hlindqvist', decision: 'approve', comment: 'LGTM', minutesAfter: 4, revision: 0 }],
  },
  {
    key: 'flags-express-checkout',
    services: ['feature-flags', 'checkout'],
    author: 'lnguyen',
    kind: 'config',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 5.5,
    title: 'feature-flags: roll checkout.express-checkout out to 50%',
    description: '25% for nine days: conversion +1.8%, no change in payment errors. Next step 50%, then 100% after the sale.',
    files: [modified('flags/checkout.json', hunk(12, '', `
   "checkout.express-checkout": {
     "description": "One-page checkout for signed-in customers with a saved card",
-    "rollout": 25,
+    "rollout": 50,
     "killSwitch": true
   },
`))],
  },
  {
    key: 'store-locator-readme',
    services: ['store-locator'],
    author: 'tbrooks',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: null,
    hoursAgo: 1,
    title: 'store-locator: fix typo in README',
    description: 'One-line documentation fix.',
    files: [modified('README.md', hunk(12, '', `
 ## Getting started

-Run \`npm run dev\` to start the the local server on http://localhost:3000.
+Run \`npm run dev\` to start the local server on http://localhost:3000.
`))],
  },
  {
    key: 'portal-onboarding-link',
    services: ['developer-portal'],
    author: 'ipetrov',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: null,
    hoursAgo: 23,
    title: 'developer-portal: fix broken runbook links in the on-call onboarding guide',
    description: 'The runbooks moved under /docs/runbooks in November; three links in the onboarding guide still 404.',
    files: [modified('docs/onboarding/on-call.md', hunk(18, '', `
 Before your first shift:

-1. Read the [incident process](/docs/incident-process.md).
-2. Skim the [checkout runbook](/docs/checkout-runbook.md) and the [payments runbook](/docs/payments-runbook.md).
+1. Read the [incident process](/docs/runbooks/incident-process.md).
+2. Skim the [checkout runbook](/docs/runbooks/checkout.md) and the [payments runbook](/docs/runbooks/payments.md).
 3. Shadow one shift with your team's primary.
`))],
  },
  {
    key: 'design-focus-ring',
    services: ['design-system'],
    author: 'hlindqvist',
    kind: 'code',
    ai: { level: 'assisted', tool: 'Cursor' },
    preDeploy: true,
    hoursAgo: 13,
    title: 'design-system: increase Button focus ring contrast to meet WCAG 2.2',
    description: 'The focus ring on secondary buttons is 2.1:1 against white. Uses the accent token with a 2px offset: 4.8:1.',
    files: [modified('src/components/Button/Button.module.css', hunk(21, '', `
 .button:focus-visible {
-  outline: 2px solid var(--color-neutral-300);
-  outline-offset: 0;
+  outline: 2px solid var(--color-accent-600);
+  outline-offset: 2px;
 }
`)), modified('src/components/Button/Button.stories.tsx', hunk(30, '', `
 export const Secondary: Story = { args: { variant: 'secondary', children: 'Save for later' } };
+
+export const FocusVisible: Story = {
+  args: { variant: 'secondary', children: 'Focused' },
+  parameters: { pseudo: { focusVisible: true } },
+};
`))],
    approvals: [{ person: 'nosei', decision: 'approve', comment: 'LGTM', minutesAfter: 3, revision: 0 }],
  },
  {
    key: 'dependabot-x-net',
    services: ['edge-router'],
    author: 'dependabot[bot]',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 60,
    title: 'build(deps): bump golang.org/x/net from 0.30.0 to 0.33.0',
    description: 'Bumps golang.org/x/net from 0.30.0 to 0.33.0.\n\nFixes CVE-2024-45338 (non-linear parsing of case-insensitive content in html).\n\nDependabot will resolve any conflicts with this PR as long as you don\'t alter it yourself.',
    files: [modified('go.mod', hunk(9, 'require (', `
 \tgithub.com/prometheus/client_golang v1.20.5
-\tgolang.org/x/net v0.30.0
+\tgolang.org/x/net v0.33.0
 \tgoogle.golang.org/grpc v1.68.1
`)), modified('go.sum', hunk(57, '', `
-golang.org/x/net v0.30.0 h1:AcW1SDZMkb8IpzCdQUaIq2sP4sZ4zw+55h6ynffypl4=
-golang.org/x/net v0.30.0/go.mod h1:2wGyMJ5iFasEhkwi13ChkO/t1ECNC4X4eBKkVFyYFlU=
+golang.org/x/net v0.33.0 h1:74SYHlV8BIgHIFC/LrYkOGIwL19eTYXQ5wc6TBuO36I=
+golang.org/x/net v0.33.0/go.mod h1:HXLR5J+9DxmrqMwG9qjGCxZ+zKXxBru04zlTvWlWuN4=
`))],
  },
  {
    key: 'dependabot-next',
    services: ['product-pages'],
    author: 'dependabot[bot]',
    kind: 'code',
    ai: { level: 'none', tool: null },
    preDeploy: true,
    hoursAgo: 39,
    title: 'build(deps): bump next from 15.1.6 to 15.2.4',
    description: 'Bumps next from 15.1.6 to 15.2.4.\n\nIncludes the fix for CVE-2025-29927 (middleware authorisation bypass).\n\nDependabot will resolve any conflicts with this PR as long as you don\'t alter it yourself.',
    files: [modified('package.json', hunk(18, '"dependencies": {', `
     "@acme/reviews-widget": "^4.2.0",
-    "next": "15.1.6",
+    "next": "15.2.4",
     "react": "19.0.0",
`))],
  },
  {
    key: 'reviews-surname',
    services: ['reviews'],
    author: 'nosei',
    kind: 'code',
    ai: { level: 'generated', tool: 'Claude Code' },
    preDeploy: true,
    hoursAgo: 25,
    title: 'reviews: show reviewers as "first name + initial" in the public widget',
    description: 'Privacy request from legal: public reviews should not show full surnames. Moderation views keep the full name.',
    files: [modified('src/moderation/display-name.ts', hunk(1, '', `
-export const publicName = (r: Reviewer) => \`\${r.firstName} \${r.lastName}\`;
+export const publicName = (r: Reviewer) =>
+  r.lastName ? \`\${r.firstName} \${r.lastName.charAt(0).toUpperCase()}.\` : r.firstName;
`)), added('src/moderation/__tests__/display-name.test.ts', `
import { expect, it } from 'vitest';
import { publicName } from '../display-name';

it('abbreviates the surname', () => {
  expect(publicName({ firstName: 'Amara', lastName: 'okoye' })).toBe('Amara O.');
});

it('copes without a surname', () => {
  expect(publicName({ firstName: 'Sam', lastName: '' })).toBe('Sam');
});
`)],
    approvals: [{ person: 'hlindqvist', decision: 'approve', comment: 'lgtm 👍', minutesAfter: 6, revision: 0 }],
  },
  {
    key: 'store-hours-bank-holiday',
    services: ['store-locator'],
    author: 'cdubois',
    kind: 'config',
    ai: { level: 'assisted', tool: 'GitHub Copilot' },
    preDeploy: null,
    hoursAgo: 31,
    title: 'store-locator: Easter opening hours for the flagship stores',
    description: 'Opening hours from the stores team\'s spreadsheet for Good Friday to Easter Monday.',
    files: [modified('data/special-hours.json', hunk(3, '', `
   "2025-12-26": { "default": "10:00-16:00" },
+  "2026-04-03": { "default": "09:00-18:00", "LDN-OXF": "08:00-20:00" },
+  "2026-04-05": { "default": "closed", "LDN-OXF": "11:00-17:00" },
+  "2026-04-06": { "default": "10:00-17:00" },
   "2026-12-25": { "default": "closed" }
`))],
  },
];

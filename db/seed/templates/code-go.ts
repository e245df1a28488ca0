// Go services (edge-router, config-service, payments, inventory, fulfilment).
import { added, hunk, hunkOf, modified } from './diff';
import { camel, pascal, snake } from './domain';
import type { Ctx, LangKit } from './kit';

const pkg = (client: string) => snake(client).replace(/_/g, '');
const clientPath = (client: string) => `internal/clients/${pkg(client)}/client.go`;
const mod = (ctx: Ctx) => `github.com/acme/${ctx.slug}`;

export const goKit: LangKit = {
  testPath: (ctx, name) => `internal/${ctx.profile.module}/${snake(name)}_test.go`,

  timeout(ctx, p) {
    return [modified(clientPath(p.client), hunk(12, 'import (', `
 \t"${mod(ctx)}/internal/telemetry"
 )

 // defaultTimeout bounds one call to ${p.client}; the edge gives the whole request ${p.edgeBudgetMs}ms.
-const defaultTimeout = ${p.from} * time.Millisecond
+const defaultTimeout = ${p.to} * time.Millisecond

 type Client struct {
 \thttp    *http.Client
`))];
  },

  retry(ctx, p) {
    const Op = pascal(p.op);
    const files = [modified(clientPath(p.client),
      hunk(16, '', `
 const defaultTimeout = 800 * time.Millisecond
+
+const (
+\tmaxAttempts = ${p.attempts}
+\tbaseDelay   = ${p.baseDelayMs} * time.Millisecond
+)
`),
      hunk(48, `func (c *Client) ${Op}(ctx context.Context, req ${Op}Request) (*${Op}Response, error) {`, `
 \tctx, span := c.tracer.Start(ctx, "${pkg(p.client)}.${Op}")
 \tdefer span.End()
-\treturn c.do${Op}(ctx, req)
+\tvar lastErr error
+\tfor attempt := 1; attempt <= maxAttempts; attempt++ {
+\t\tresp, err := c.do${Op}(ctx, req)
+\t\tif err == nil {
+\t\t\treturn resp, nil
+\t\t}
+\t\tlastErr = err
+\t\t// ${Op} is idempotent on req.IdempotencyKey; anything but a transport error or 503 is final.
+\t\tif !isRetryable(err) || attempt == maxAttempts {
+\t\t\tbreak
+\t\t}
+\t\ttelemetry.Retries.WithLabelValues("${p.client}", "${p.op}").Inc()
+\t\tselect {
+\t\tcase <-ctx.Done():
+\t\t\treturn nil, ctx.Err()
+\t\tcase <-time.After(baseDelay * time.Duration(1<<(attempt-1))):
+\t\t}
+\t}
+\treturn nil, fmt.Errorf("${pkg(p.client)}: ${p.op} after %d attempts: %w", maxAttempts, lastErr)
 }
`))];
    if (p.withTest) {
      files.push(added(`internal/clients/${pkg(p.client)}/client_retry_test.go`, `
package ${pkg(p.client)}

import (
\t"context"
\t"net/http"
\t"net/http/httptest"
\t"sync/atomic"
\t"testing"
)

func TestRetriesServiceUnavailable(t *testing.T) {
\tvar calls atomic.Int32
\tsrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
\t\tif calls.Add(1) == 1 {
\t\t\tw.WriteHeader(http.StatusServiceUnavailable)
\t\t\treturn
\t\t}
\t\tw.Write([]byte(\`{"status":"ok"}\`))
\t}))
\tdefer srv.Close()

\tc := New(srv.URL)
\tif _, err := c.${Op}(context.Background(), ${Op}Request{IdempotencyKey: "k-1"}); err != nil {
\t\tt.Fatalf("unexpected error: %v", err)
\t}
\tif got := calls.Load(); got != 2 {
\t\tt.Fatalf("calls = %d, want 2", got)
\t}
}
`));
    }
    return files;
  },

  guard(ctx, p) {
    const e = camel(p.entity);
    const F = pascal(p.field);
    const guard = [`\tif ${e}.${F} == "" {`, `\t\treturn nil, fmt.Errorf("${snake(p.entity).replace(/_/g, ' ')} %s: missing ${p.field}: %w", ${e}.ID, ErrInvalid)`, `\t}`];
    const before = [`\t${e}, err := s.store.Get(ctx, id)`, `\tif err != nil {`, `\t\treturn nil, err`, `\t}`];
    const after = [`\treturn s.apply(ctx, ${e})`, `}`];
    const section = `func (s *Service) Process(ctx context.Context, id string) (*${p.entity}, error) {`;
    return [modified(`internal/${ctx.profile.module}/service.go`, p.add ? hunkOf(57, section, before, [], guard, after) : hunkOf(57, section, before, guard, [], after))];
  },

  field(ctx, p) {
    const goType = p.type === 'number' ? 'int64' : p.type === 'boolean' ? 'bool' : p.type === 'date' ? '*time.Time' : 'string';
    const F = pascal(p.field);
    const files = [
      modified(`internal/${ctx.profile.module}/model.go`, hunk(21, `type ${p.entity} struct {`, `
 \tID        string    \`json:"id"\`
 \tUpdatedAt time.Time \`json:"updatedAt"\`
+\t${F} ${goType} \`json:"${camel(p.field)},omitempty"\`
 }
`)),
      modified(`internal/${ctx.profile.module}/store.go`, hunk(64, `func scan${p.entity}(row pgx.Row) (*${p.entity}, error) {`, `
 \tvar v ${p.entity}
-\terr := row.Scan(&v.ID, &v.UpdatedAt)
+\terr := row.Scan(&v.ID, &v.UpdatedAt, &v.${F})
 \treturn &v, err
 }
`)),
    ];
    if (p.withTest) {
      files.push(modified(goKit.testPath(ctx, 'store'), hunk(30, '', `
 \tif got.ID != want.ID {
 \t\tt.Fatalf("ID = %q, want %q", got.ID, want.ID)
 \t}
+\tif got.${F} != want.${F} {
+\t\tt.Fatalf("${F} = %v, want %v", got.${F}, want.${F})
+\t}
 }
`)));
    }
    return files;
  },

  bugfix(ctx, v) {
    const m = ctx.profile.module;
    if (v === 'rounding') {
      return [
        modified(`internal/${m}/money.go`, hunk(9, '', `
 // Split divides an amount in minor units across n lines.
 func Split(total int64, n int) []int64 {
 \tout := make([]int64, n)
-\tshare := int64(math.Round(float64(total) / float64(n)))
-\tfor i := range out {
-\t\tout[i] = share
-\t}
+\tshare, rem := total/int64(n), total%int64(n)
+\tfor i := range out {
+\t\tout[i] = share
+\t\tif int64(i) < rem {
+\t\t\tout[i]++ // the remainder goes to the first lines so the parts sum to the total
+\t\t}
+\t}
 \treturn out
 }
`)),
        modified(`internal/${m}/money_test.go`, hunk(15, '', `
 \t\t{total: 900, n: 3, want: []int64{300, 300, 300}},
+\t\t{total: 1000, n: 3, want: []int64{334, 333, 333}},
 \t}
`)),
      ];
    }
    if (v === 'pagination') {
      return [modified(`internal/${m}/handler.go`, hunk(88, 'func (h *Handler) List(w http.ResponseWriter, r *http.Request) {', `
 \tpage := max(queryInt(r, "page", 1), 1)
 \tsize := min(queryInt(r, "pageSize", 50), 200)
-\titems, err := h.svc.List(r.Context(), size, page*size)
+\titems, err := h.svc.List(r.Context(), size, (page-1)*size)
 \tif err != nil {
`))];
    }
    return [modified(`internal/${m}/clock.go`, hunk(14, '', `
 // BusinessDay is the warehouse's calendar day of t.
 func BusinessDay(t time.Time) civil.Date {
-\treturn civil.DateOf(t.UTC())
+\treturn civil.DateOf(t.In(warehouseZone))
 }
`))];
  },

  metric(_ctx, p) {
    const Op = pascal(p.op);
    return [modified(clientPath(p.client), hunk(51, `func (c *Client) ${Op}(ctx context.Context, req ${Op}Request) (*${Op}Response, error) {`, `
 \tctx, span := c.tracer.Start(ctx, "${pkg(p.client)}.${Op}")
 \tdefer span.End()
+\tstart := time.Now()
+\tdefer func() { telemetry.ClientLatency.WithLabelValues("${p.metric}", "${p.op}").Observe(time.Since(start).Seconds()) }()
 \treturn c.do${Op}(ctx, req)
`))];
  },

  refactor(ctx, p) {
    const m = ctx.profile.module;
    const From = pascal(p.from);
    const To = pascal(p.to);
    return [
      modified(`internal/${m}/${snake(p.from)}.go`, hunk(22, '', `
-// ${From} reconciles one record with the source of truth.
-func (s *Service) ${From}(ctx context.Context, id string) error {
+// ${To} reconciles one record with the source of truth.
+func (s *Service) ${To}(ctx context.Context, id string) error {
 \tctx, span := s.tracer.Start(ctx, "${m}.${p.to}")
`)),
      ...p.callers.map((c, i) => modified(`internal/${c}.go`, hunk(40 + i * 9, '', `
 \tfor _, id := range ids {
-\t\tif err := svc.${From}(ctx, id); err != nil {
+\t\tif err := svc.${To}(ctx, id); err != nil {
 \t\t\treturn err
`))),
      modified(goKit.testPath(ctx, p.from), hunk(18, '', `
-func Test${From}(t *testing.T) {
+func Test${To}(t *testing.T) {
 \tsvc := newTestService(t)
-\tif err := svc.${From}(context.Background(), "id-1"); err != nil {
+\tif err := svc.${To}(context.Background(), "id-1"); err != nil {
`)),
    ];
  },

  depBump(_ctx, d) {
    return [
      modified('go.mod', hunk(9, 'require (', `
 \tgithub.com/prometheus/client_golang v1.20.5
-\t${d.name} v${d.from}
+\t${d.name} v${d.to}
 \tgo.opentelemetry.io/otel v1.32.0
`)),
      modified('go.sum', hunk(41, '', `
-${d.name} v${d.from} h1:${d.from.replace(/\./g, '')}Qx3mJ0v9l2Xg1S8eVb5Jm8q0LzJb4nqQ4=
-${d.name} v${d.from}/go.mod h1:Wq9z7y3oQJ6bT1rS0m8YkPpN2c5dV1aH0xE4uL7iK3g=
+${d.name} v${d.to} h1:${d.to.replace(/\./g, '')}Rk2nB7w0pL5cT9hV3sX1fA6gZ8yQ2eD4=
+${d.name} v${d.to}/go.mod h1:Zp4x8c2mN6vB0nQ3tR7yU1iO5aS9dF2gH6jK0lW4e8s=
`)),
    ];
  },

  deps: [
    { name: 'golang.org/x/net', from: '0.30.0', to: '0.33.0' },
    { name: 'google.golang.org/grpc', from: '1.67.1', to: '1.68.1' },
    { name: 'github.com/jackc/pgx/v5', from: '5.7.1', to: '5.7.2' },
    { name: 'github.com/redis/go-redis/v9', from: '9.6.1', to: '9.7.0' },
    { name: 'golang.org/x/crypto', from: '0.28.0', to: '0.31.0' },
  ],
};

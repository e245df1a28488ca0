// Python services (search, recommendations, fraud-detection, billing-data, data-warehouse jobs).
import { added, hunk, hunkOf, modified } from './diff';
import { pascal, snake, upper } from './domain';
import type { Ctx, LangKit } from './kit';

const pkg = (ctx: Ctx) => `acme_${snake(ctx.slug)}`;
const clientPath = (ctx: Ctx, client: string) => `${pkg(ctx)}/clients/${snake(client)}.py`;

export const pythonKit: LangKit = {
  testPath: (ctx, name) => `tests/${ctx.profile.module}/test_${snake(name)}.py`,

  timeout(ctx, p) {
    return [modified(clientPath(ctx, p.client), hunk(9, '', `
 log = structlog.get_logger(__name__)

 # Budget for one call to ${p.client}; the edge gives the whole request ${p.edgeBudgetMs} ms.
-${upper(p.client)}_TIMEOUT_S = ${(p.from / 1000).toString()}
+${upper(p.client)}_TIMEOUT_S = ${(p.to / 1000).toString()}


 class ${pascal(p.client)}Client:
`))];
  },

  retry(ctx, p) {
    const files = [modified(clientPath(ctx, p.client),
      hunk(3, '', `
 import httpx
 import structlog
+from tenacity import retry, retry_if_exception, stop_after_attempt, wait_random_exponential
`),
      hunk(27, `class ${pascal(p.client)}Client:`, `
-    def ${p.op}(self, request: dict) -> dict:
+    # ${p.op} is idempotent on request["request_id"]; only 503s and transport errors are retried.
+    @retry(
+        stop=stop_after_attempt(${p.attempts}),
+        wait=wait_random_exponential(multiplier=${p.baseDelayMs / 1000}, max=2),
+        retry=retry_if_exception(_is_retryable),
+        reraise=True,
+    )
+    def ${p.op}(self, request: dict) -> dict:
         response = self._http.post("/v1/${p.op.replace(/_/g, '-')}", json=request, timeout=self._timeout)
         response.raise_for_status()
         return response.json()
`))];
    if (p.withTest) {
      files.push(added(`tests/clients/test_${snake(p.client)}_retry.py`, `
import httpx
import respx

from ${pkg(ctx)}.clients.${snake(p.client)} import ${pascal(p.client)}Client


@respx.mock
def test_retries_service_unavailable_once():
    route = respx.post("http://${p.client}.acme.internal/v1/${p.op.replace(/_/g, '-')}").mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json={"ok": True})]
    )
    assert ${pascal(p.client)}Client().${p.op}({"request_id": "r-1"}) == {"ok": True}
    assert route.call_count == 2
`));
    }
    return files;
  },

  guard(ctx, p) {
    const e = snake(p.entity);
    const guard = [`    if not ${e}.${snake(p.field)}:`, `        log.warning("skipping_${e}_without_${snake(p.field)}", ${e}_id=${e}.id)`, `        return None`];
    const before = [`def process_${e}(${e}: ${p.entity}) -> ${p.entity}Result | None:`, `    """Score or transform one ${e}; returns None when there is nothing to do."""`];
    const after = [`    features = build_features(${e})`, `    return ${p.entity}Result(id=${e}.id, value=model.predict(features))`];
    const path = `${pkg(ctx)}/${ctx.profile.module}/pipeline.py`;
    return [modified(path, p.add ? hunkOf(44, '', before, [], guard, after) : hunkOf(44, '', before, guard, [], after))];
  },

  field(ctx, p) {
    const pt = p.type === 'number' ? 'float' : p.type === 'boolean' ? 'bool' : p.type === 'date' ? 'datetime' : 'str';
    const files = [modified(`${pkg(ctx)}/${ctx.profile.module}/schemas.py`, hunk(15, `class ${p.entity}Out(BaseModel):`, `
     id: str
     updated_at: datetime
+    ${snake(p.field)}: ${pt} | None = None
`))];
    if (p.withTest) {
      files.push(modified(pythonKit.testPath(ctx, 'schemas'), hunk(12, '', `
     out = ${p.entity}Out.model_validate(row)
     assert out.id == row["id"]
+    assert out.${snake(p.field)} == row.get("${snake(p.field)}")
`)));
    }
    return files;
  },

  bugfix(ctx, v) {
    const d = `${pkg(ctx)}/${ctx.profile.module}`;
    if (v === 'rounding') {
      return [
        modified(`${d}/amounts.py`, hunk(6, '', `
 def to_minor_units(amount: float) -> int:
-    return int(amount * 100)
+    # int() truncates: 19.99 * 100 == 1998.9999999999998. Go through Decimal and round half-even.
+    return int((Decimal(str(amount)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_EVEN))
`)),
        modified(`tests/${ctx.profile.module}/test_amounts.py`, hunk(9, '', `
     assert to_minor_units(10.0) == 1000
+
+
+def test_to_minor_units_does_not_truncate():
+    assert to_minor_units(19.99) == 1999
`)),
      ];
    }
    if (v === 'pagination') {
      return [modified(`${d}/api.py`, hunk(52, '', `
     page = max(int(request.query_params.get("page", 1)), 1)
-    rows = await repo.list(limit=size, offset=page * size)
+    rows = await repo.list(limit=size, offset=(page - 1) * size)
     return {"items": rows, "page": page}
`))];
    }
    return [modified(`${d}/windows.py`, hunk(18, '', `
 def business_day(ts: datetime) -> date:
-    return ts.astimezone(timezone.utc).date()
+    return ts.astimezone(ZoneInfo("Europe/London")).date()
`))];
  },

  metric(ctx, p) {
    return [modified(clientPath(ctx, p.client), hunk(30, '', `
     def ${p.op}(self, request: dict) -> dict:
-        response = self._http.post("/v1/${p.op.replace(/_/g, '-')}", json=request, timeout=self._timeout)
+        with ${snake(p.metric).toUpperCase()}.labels(op="${p.op}").time():
+            response = self._http.post("/v1/${p.op.replace(/_/g, '-')}", json=request, timeout=self._timeout)
         response.raise_for_status()
`))];
  },

  refactor(ctx, p) {
    const from = snake(p.from);
    const to = snake(p.to);
    return [
      modified(`${pkg(ctx)}/${ctx.profile.module}/${from}.py`, hunk(12, '', `
-def ${from}(record_id: str) -> None:
+def ${to}(record_id: str) -> None:
     current = repository.get(record_id)
`)),
      ...p.callers.map((c, i) => modified(`${pkg(ctx)}/${snake(c.replace(/\//g, '-')).replace(/-/g, '_')}.py`,
        hunk(3 + i, '', `
-from ${pkg(ctx)}.${ctx.profile.module}.${from} import ${from}
+from ${pkg(ctx)}.${ctx.profile.module}.${from} import ${to}
`),
        hunk(40 + i * 6, '', `
     for record_id in ids:
-        ${from}(record_id)
+        ${to}(record_id)
`))),
      modified(pythonKit.testPath(ctx, p.from), hunk(5, '', `
-from ${pkg(ctx)}.${ctx.profile.module}.${from} import ${from}
+from ${pkg(ctx)}.${ctx.profile.module}.${from} import ${to}


-def test_${from}_ignores_unknown_ids(repo):
-    ${from}("missing")
+def test_${to}_ignores_unknown_ids(repo):
+    ${to}("missing")
`)),
    ];
  },

  depBump(_ctx, d) {
    return [modified('requirements.txt', hunk(7, '', `
 pydantic==2.9.2
-${d.name}==${d.from}
+${d.name}==${d.to}
 structlog==24.4.0
`))];
  },

  deps: [
    { name: 'httpx', from: '0.27.2', to: '0.28.1' },
    { name: 'numpy', from: '2.1.2', to: '2.1.3' },
    { name: 'scikit-learn', from: '1.5.2', to: '1.6.0' },
    { name: 'boto3', from: '1.35.54', to: '1.35.90' },
    { name: 'opensearch-py', from: '2.7.1', to: '2.8.0' },
  ],
};

// TypeScript (Node services and Next.js front ends): how Acme's TS repositories look in a diff.
import { added, hunk, hunkOf, modified } from './diff';
import { camel, kebab, pascal, upper } from './domain';
import type { LangKit } from './kit';

const clientPath = (client: string) => `src/clients/${kebab(client)}-client.ts`;

export const typescriptKit: LangKit = {
  testPath: (ctx, name) => `src/${ctx.profile.module}/__tests__/${kebab(name)}.test.ts`,

  timeout(_ctx, p) {
    const C = upper(p.client);
    return [modified(clientPath(p.client), hunk(1, '', `
 import { fetchJson, type RequestContext } from '../http/fetch-json';
 import { metrics } from '../telemetry/metrics';

 // Budget for one call to ${p.client}; the edge gives the whole request ${p.edgeBudgetMs} ms.
-export const ${C}_TIMEOUT_MS = ${p.from};
+export const ${C}_TIMEOUT_MS = ${p.to};
 const ${C}_BASE_URL = process.env.${C}_URL ?? 'http://${p.client}.acme.internal';
 const MAX_ATTEMPTS = 2;
`))];
  },

  retry(ctx, p) {
    const C = upper(p.client);
    const Op = pascal(p.op);
    const files = [modified(clientPath(p.client),
      hunk(5, '', `
 export const ${C}_TIMEOUT_MS = 800;
 const ${C}_BASE_URL = process.env.${C}_URL ?? 'http://${p.client}.acme.internal';
+const MAX_ATTEMPTS = ${p.attempts};
+const BASE_DELAY_MS = ${p.baseDelayMs};
+
+const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
`),
      hunk(22, `export async function ${p.op}(`, `
   input: ${Op}Input,
   ctx: RequestContext,
 ): Promise<${Op}Result> {
-  const res = await fetchJson(\`\${${C}_BASE_URL}/v1/${kebab(p.op)}\`, { method: 'POST', body: input, timeoutMs: ${C}_TIMEOUT_MS, ctx });
-  return parse${Op}Result(res);
+  let lastError: unknown;
+  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
+    try {
+      const res = await fetchJson(\`\${${C}_BASE_URL}/v1/${kebab(p.op)}\`, { method: 'POST', body: input, timeoutMs: ${C}_TIMEOUT_MS, ctx });
+      return parse${Op}Result(res);
+    } catch (err) {
+      lastError = err;
+      // Only connection resets and 503s are safe to repeat: ${p.op} is idempotent on input.requestId.
+      if (!isRetryable(err) || attempt === MAX_ATTEMPTS) break;
+      metrics.increment('${p.client.replace(/-/g, '_')}_client_retries_total', { attempt: String(attempt) });
+      await sleep(BASE_DELAY_MS * 2 ** (attempt - 1) + Math.floor(Math.random() * 25));
+    }
+  }
+  throw lastError;
 }
`))];
    if (p.withTest) {
      files.push(added(`src/clients/__tests__/${kebab(p.client)}-client.test.ts`, `
import { describe, expect, it, vi } from 'vitest';
import { ${p.op} } from '../${kebab(p.client)}-client';
import * as http from '../../http/fetch-json';

describe('${p.op}', () => {
  it('retries a 503 and returns the second answer', async () => {
    const spy = vi.spyOn(http, 'fetchJson')
      .mockRejectedValueOnce(new http.HttpError(503, 'unavailable'))
      .mockResolvedValueOnce({ requestId: 'r-1', items: [] });
    await expect(${p.op}({ requestId: 'r-1', items: [] }, http.testContext())).resolves.toBeDefined();
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('does not retry a 400', async () => {
    const spy = vi.spyOn(http, 'fetchJson').mockRejectedValue(new http.HttpError(400, 'bad request'));
    await expect(${p.op}({ requestId: 'r-2', items: [] }, http.testContext())).rejects.toThrow('bad request');
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
`));
    }
    return files;
  },

  guard(ctx, p) {
    const e = camel(p.entity);
    const path = `src/${ctx.profile.module}/${kebab(p.entity)}-service.ts`;
    const guard = [
      `    if (!${e}.${p.field} || ${e}.${p.field}.length === 0) {`,
      `      logger.warn({ ${e}Id: ${e}.id }, '${p.entity} without ${p.field}; skipping');`,
      `      return null;`,
      `    }`,
    ];
    const before = [`  async load${p.entity}(id: string, ctx: RequestContext): Promise<${p.entity}View | null> {`, `    const ${e} = await this.repo.findById(id, ctx);`, `    if (!${e}) return null;`];
    const after = [`    return to${p.entity}View(${e}, ctx.locale);`, `  }`];
    return [modified(path, p.add ? hunkOf(41, `export class ${p.entity}Service {`, before, [], guard, after) : hunkOf(41, `export class ${p.entity}Service {`, before, guard, [], after))];
  },

  field(ctx, p) {
    const t = p.type === 'date' ? 'string' : p.type;
    const files = [
      modified(`src/${ctx.profile.module}/types.ts`, hunk(18, `export interface ${p.entity}View {`, `
   id: string;
   updatedAt: string;
+  /** ${p.type === 'date' ? 'ISO-8601, UTC' : 'Shown by the web and app clients'}; optional until every client reads it. */
+  ${camel(p.field)}?: ${t};
   links: Record<string, string>;
 }
`)),
      modified(`src/${ctx.profile.module}/to-view.ts`, hunk(9, `export function to${p.entity}View(`, `
   return {
     id: row.id,
     updatedAt: row.updated_at.toISOString(),
+    ${camel(p.field)}: row.${p.field}${p.type === 'date' ? '?.toISOString()' : ''} ?? undefined,
     links: linksFor(row, locale),
   };
 }
`)),
    ];
    if (p.withTest) {
      files.push(modified(typescriptKit.testPath(ctx, 'to-view'), hunk(14, `describe('to${p.entity}View', () => {`, `
     expect(view.id).toBe('${kebab(p.entity)}-1');
   });
+
+  it('includes ${camel(p.field)} when the row has it', () => {
+    const view = to${p.entity}View(fixtureRow({ ${p.field}: ${p.type === 'number' ? '3' : p.type === 'boolean' ? 'true' : p.type === 'date' ? "new Date('2026-01-05T10:00:00Z')" : "'x'"} }), 'en-GB');
+    expect(view.${camel(p.field)}).toBeDefined();
+  });
 });
`)));
    }
    return files;
  },

  bugfix(ctx, v) {
    const m = ctx.profile.module;
    if (v === 'rounding') {
      return [
        modified(`src/${m}/money.ts`, hunk(12, 'export function splitEvenly(', `
 export function splitEvenly(totalPence: number, parts: number): number[] {
-  const share = Math.round(totalPence / parts);
-  return Array.from({ length: parts }, () => share);
+  // Integer pence only: give the remainder to the first lines so the parts always sum to the total.
+  const share = Math.floor(totalPence / parts);
+  const remainder = totalPence - share * parts;
+  return Array.from({ length: parts }, (_, i) => share + (i < remainder ? 1 : 0));
 }
`)),
        modified(`src/${m}/__tests__/money.test.ts`, hunk(20, "describe('splitEvenly', () => {", `
     expect(splitEvenly(900, 3)).toEqual([300, 300, 300]);
   });
+
+  it('never loses or invents a penny', () => {
+    expect(splitEvenly(1000, 3)).toEqual([334, 333, 333]);
+    expect(splitEvenly(1000, 3).reduce((a, b) => a + b, 0)).toBe(1000);
+  });
 });
`)),
      ];
    }
    if (v === 'pagination') {
      return [modified(`src/${m}/list-handler.ts`, hunk(27, 'export async function handleList(', `
   const pageSize = Math.min(Number(query.pageSize ?? 20), 100);
   const page = Math.max(Number(query.page ?? 1), 1);
-  const rows = await repo.list({ limit: pageSize, offset: page * pageSize });
+  const rows = await repo.list({ limit: pageSize, offset: (page - 1) * pageSize });
   return { items: rows.map(toListItem), page, pageSize };
 }
`))];
    }
    return [modified(`src/${m}/dates.ts`, hunk(4, '', `
 import { formatInTimeZone } from 'date-fns-tz';

-export const formatDay = (d: Date) => d.toISOString().slice(0, 10);
+// Days are the customer's calendar days, not UTC ones: 23:30 in London on 31 March is still 31 March.
+export const formatDay = (d: Date, timeZone = 'Europe/London') => formatInTimeZone(d, timeZone, 'yyyy-MM-dd');
`))];
  },

  metric(_ctx, p) {
    const metric = p.metric;
    return [modified(clientPath(p.client), hunk(24, `export async function ${p.op}(`, `
 ): Promise<${pascal(p.op)}Result> {
+  const started = performance.now();
   const res = await fetchJson(\`\${${upper(p.client)}_BASE_URL}/v1/${kebab(p.op)}\`, { method: 'POST', body: input, timeoutMs: ${upper(p.client)}_TIMEOUT_MS, ctx });
+  metrics.histogram('${metric}', performance.now() - started, { op: '${p.op}', status: String(res.status) });
   return parse${pascal(p.op)}Result(res);
`))];
  },

  refactor(ctx, p) {
    const m = ctx.profile.module;
    const def = modified(`src/${m}/${kebab(p.from)}.ts`, hunk(8, '', `
-export async function ${p.from}(
+export async function ${p.to}(
   id: string,
   ctx: RequestContext,
 ): Promise<void> {
`));
    const callers = p.callers.map((c, i) => modified(`src/${c}.ts`,
      hunk(1 + i * 2, '', `
 import { logger } from '../logger';
-import { ${p.from} } from '../${m}/${kebab(p.from)}';
+import { ${p.to} } from '../${m}/${kebab(p.from)}';
`),
      hunk(30 + i * 7, '', `
   if (event.type === 'updated') {
-    await ${p.from}(event.id, ctx);
+    await ${p.to}(event.id, ctx);
   }
`)));
    const test = modified(typescriptKit.testPath(ctx, p.from), hunk(1, '', `
 import { describe, expect, it } from 'vitest';
-import { ${p.from} } from '../${kebab(p.from)}';
+import { ${p.to} } from '../${kebab(p.from)}';

-describe('${p.from}', () => {
+describe('${p.to}', () => {
`));
    return [def, ...callers, test];
  },

  depBump(_ctx, d) {
    return [modified('package.json', hunk(21, '"dependencies": {', `
     "@opentelemetry/api": "^1.9.0",
-    "${d.name}": "^${d.from}",
+    "${d.name}": "^${d.to}",
     "pino": "^9.5.0",
`))];
  },

  deps: [
    { name: 'undici', from: '6.19.8', to: '6.21.1' },
    { name: 'zod', from: '3.23.8', to: '3.24.2' },
    { name: 'next', from: '15.1.6', to: '15.2.4' },
    { name: 'ioredis', from: '5.4.1', to: '5.4.2' },
    { name: 'pg', from: '8.13.0', to: '8.13.3' },
    { name: 'fastify', from: '5.1.0', to: '5.2.1' },
  ],
};

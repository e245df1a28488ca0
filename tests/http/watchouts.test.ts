// POST /api/v1/watchouts — seniors record institutional memory; it is audited in the same transaction,
// refused with a clear error (and nothing stored) when invalid, and surfaces on the changes it matches.
import { and, count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { GET as getChange } from '@/app/api/v1/changes/[id]/route';
import { POST as addWatchout } from '@/app/api/v1/watchouts/route';
import { auditEvents, watchouts } from '@/db/schema';
import { describeEachDb, uid } from '../support/db';
import { call, sessionFor, tokenFor, type Json } from '../support/http';
import { diffOf, submit } from './change-helpers';

describeEachDb('POST /api/v1/watchouts', ({ handle }) => {
  const db = () => handle().db;
  const countWatchouts = async () => Number((await db().select({ n: count() }).from(watchouts))[0]!.n);
  const detail = async (id: number) => (await call(getChange, `/api/v1/changes/${id}`, { auth: await tokenFor(db(), 'admin', ['gate:read']), params: { id: String(id) } })).json;

  it('lets a senior add a service watch-out from a change page: 201, audited, and shown on that change with why', async () => {
    const created = await submit(db(), { externalId: `acme/tax#${uid('wo')}`, title: 'tax: VAT table', author: 'kchen', services: ['tax'], diff: diffOf('src/vat.ts', { del: ['a'], add: ['b'] }) });
    const auth = await sessionFor(db(), 'mrossi');
    const text = `Tax tables are cached for 24 hours by the pricing service: ${uid('x')}`;
    const res = await call(addWatchout, '/api/v1/watchouts', { auth, body: { scope: 'service', service: 'tax', text, change: created.id } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.watchout).toMatchObject({ scope: 'service', service: 'tax', pattern: null, text, author: { handle: 'mrossi' }, changeId: created.id });
    expect(res.json.match).toEqual({ reason: 'This change touches tax', strength: 'direct' });

    const [audit] = await db().select().from(auditEvents).where(and(eq(auditEvents.subjectType, 'watchout'), eq(auditEvents.subjectId, String(res.json.watchout.id))));
    expect(audit).toMatchObject({ action: 'watchout.added', subjectType: 'watchout', changeId: created.id });
    expect((audit!.payload as Json).text).toBe(text);

    const d = await detail(created.id);
    const shown = d.watchouts.find((w: Json) => w.id === res.json.watchout.id);
    expect(shown).toMatchObject({ text, author: { handle: 'mrossi', name: expect.any(String) }, reason: 'This change touches tax' });
  });

  it('surfaces a service watch-out on changes to its direct dependents and dependencies, not further away', async () => {
    // payments depends on fraud-detection; fraud-detection depends on events-bus and feature-flags.
    const auth = await sessionFor(db(), 'vpetrova');
    const text = `Fraud model reloads block scoring for ~2 s: ${uid('x')}`;
    const res = await call(addWatchout, '/api/v1/watchouts', { auth, body: { scope: 'service', service: 'fraud-detection', text } });
    expect(res.status).toBe(201);
    expect(res.json.match).toBeNull();
    const id = res.json.watchout.id;
    const on = async (service: string) => {
      const c = await submit(db(), { externalId: `acme/${service}#${uid('n')}`, title: `${service}: x`, author: 'kchen', services: [service], diff: diffOf('src/a.ts', { del: ['a'], add: ['b'] }) });
      return (await detail(c.id)).watchouts.find((w: Json) => w.id === id);
    };
    expect(await on('payments')).toMatchObject({ strength: 'neighbour', reason: 'payments, which this change touches, depends directly on fraud-detection' });
    expect(await on('events-bus')).toMatchObject({ strength: 'neighbour', reason: 'fraud-detection depends directly on events-bus, which this change touches' });
    // returns → payments → fraud-detection: two hops away, not shown.
    expect(await on('returns')).toBeUndefined();
  });

  it('matches a path glob and a config key (nested YAML included) and says where', async () => {
    const auth = await tokenFor(db(), 'praman', ['approve']);
    const tag = uid('k').replace(/[^a-z0-9]/g, '');
    const glob = await call(addWatchout, '/api/v1/watchouts', { auth, body: { scope: 'path', pattern: `**/${tag}/*.sql`, text: 'Expand, deploy, contract: never drop a column in one step.' } });
    expect(glob.status, glob.text).toBe(201);
    const key = await call(addWatchout, '/api/v1/watchouts', { auth, body: { scope: 'config_key', pattern: `orders.${tag}.batch_size`, text: 'Above 500 the consumer lag alarms fire during the sale.' } });
    expect(key.status, key.text).toBe(201);
    const diff = diffOf(`db/${tag}/001_add.sql`, { add: ['ALTER TABLE orders ADD COLUMN note text;'] }, 'added')
      + diffOf('config/pipeline.yaml', { context: ['orders:', `  ${tag}:`, '    enabled: true'], del: ['    batch_size: 200'], add: ['    batch_size: 800'] });
    const c = await submit(db(), { externalId: `acme/order-pipeline#${uid('m')}`, title: 'order-pipeline: batch', author: 'kchen', services: ['order-pipeline'], diff });
    const d = await detail(c.id);
    const g = d.watchouts.find((w: Json) => w.id === glob.json.watchout.id);
    expect(g.reason).toBe(`Path \`**/${tag}/*.sql\` matches 1 changed file: db/${tag}/001_add.sql`);
    const k = d.watchouts.find((w: Json) => w.id === key.json.watchout.id);
    expect(k.reason).toBe(`Changes config key \`orders.${tag}.batch_size\` in config/pipeline.yaml (line 4)`);
    // A change elsewhere matches neither.
    const other = await submit(db(), { externalId: `acme/order-pipeline#${uid('m')}`, title: 'order-pipeline: other', author: 'kchen', services: ['order-pipeline'], diff: diffOf('config/pipeline.yaml', { del: ['batch_size: 200'], add: ['batch_size: 800'] }) });
    const o = await detail(other.id);
    expect(o.watchouts.some((w: Json) => w.id === glob.json.watchout.id || w.id === key.json.watchout.id)).toBe(false);
  });

  it('refuses engineers, tokens without the approve scope, anonymous callers and a missing CSRF token', async () => {
    const body = { scope: 'service', service: 'checkout', text: 'Something worth knowing about checkout.' };
    const before = await countWatchouts();
    const engineer = await call(addWatchout, '/api/v1/watchouts', { auth: await sessionFor(db(), 'kchen'), body });
    expect(engineer.status).toBe(403);
    expect(engineer.json.error.code).toBe('forbidden_role');
    const admin = await call(addWatchout, '/api/v1/watchouts', { auth: await sessionFor(db(), 'admin'), body });
    expect(admin.status).toBe(403);
    const narrow = await call(addWatchout, '/api/v1/watchouts', { auth: await tokenFor(db(), 'mrossi', ['gate:read']), body });
    expect(narrow.status).toBe(403);
    expect(narrow.json.error.code).toBe('insufficient_scope');
    expect((await call(addWatchout, '/api/v1/watchouts', { body })).status).toBe(401);
    const s = await sessionFor(db(), 'mrossi');
    const noCsrf = await call(addWatchout, '/api/v1/watchouts', { auth: { cookie: s.cookie }, body });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json.error.code).toBe('csrf_failed');
    expect(await countWatchouts()).toBe(before);
  });

  it('refuses invalid watch-outs with 4xx and a clear message, storing nothing', async () => {
    const auth = await sessionFor(db(), 'mrossi');
    const before = await countWatchouts();
    const cases: [unknown, number, RegExp][] = [
      [{ scope: 'team', service: 'checkout', text: 'Something worth knowing.' }, 422, /scope/],
      [{ scope: 'service', text: 'Something worth knowing.' }, 422, /service/],
      [{ scope: 'service', service: 'no-such-service', text: 'Something worth knowing.' }, 422, /Unknown service no-such-service/],
      [{ scope: 'service', service: 'checkout', text: 'short' }, 422, /10 characters/],
      [{ scope: 'service', service: 'checkout', text: 'x'.repeat(4001) }, 422, /text/],
      [{ scope: 'path', pattern: '**', text: 'Something worth knowing.' }, 422, /every file/],
      [{ scope: 'path', pattern: 'src/ main.ts', text: 'Something worth knowing.' }, 422, /no spaces/],
      [{ scope: 'path', text: 'Something worth knowing.' }, 422, /pattern/],
      [{ scope: 'config_key', pattern: 'checkout timeout', text: 'Something worth knowing.' }, 422, /config key/],
      [{ scope: 'config_key', pattern: 'checkout.timeout_ms', service: 'nope', text: 'Something worth knowing.' }, 422, /Unknown service/],
      [{ scope: 'service', service: 'checkout', text: 'Something worth knowing.', change: 'nobody/nothing#0' }, 422, /No change/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call(addWatchout, '/api/v1/watchouts', { auth, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json.error.message, JSON.stringify(body)).toMatch(message);
    }
    const notJson = await call(addWatchout, '/api/v1/watchouts', { auth, rawBody: 'scope=service', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(415);
    expect(await countWatchouts()).toBe(before);
  });
});

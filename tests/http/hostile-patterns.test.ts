// Path globs are saved with limits (length, wildcards, {a,b} alternatives): refused with 422 and a
// message naming the field and the limit, storing nothing; a pathological but allowed pattern is
// stored and matched in linear time on the change page.
import { count } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { GET as getChange } from '@/app/api/v1/changes/[id]/route';
import { POST as addMapping } from '@/app/api/v1/path-mappings/route';
import { POST as addWatchout } from '@/app/api/v1/watchouts/route';
import { pathMappings, watchouts } from '@/db/schema';
import { describeEachDb, uid } from '../support/db';
import { call, sessionFor, tokenFor } from '../support/http';
import { diffOf, submit } from './change-helpers';

describeEachDb('hostile path globs', ({ handle }) => {
  const db = () => handle().db;
  const text = 'Something worth knowing about these files.';

  it('refuses watch-out patterns over the limits with 422 naming the limit, storing nothing', async () => {
    const auth = await sessionFor(db(), 'mrossi');
    const before = Number((await db().select({ n: count() }).from(watchouts))[0]!.n);
    const cases: [string, RegExp][] = [
      ['a*'.repeat(17), /pattern.*at most 16 wildcards/],
      ['{a,b}/{c,d}/{e,f}/{g,h}/{i,j}/{k,l}.ts', /pattern.*alternatives/],
      ['src/{a,b', /pattern.*unbalanced/],
    ];
    for (const [pattern, message] of cases) {
      const res = await call(addWatchout, '/api/v1/watchouts', { auth, body: { scope: 'path', pattern, text } });
      expect(res.status, pattern).toBe(422);
      expect(`${res.json.error.message} ${JSON.stringify(res.json.error)}`, pattern).toMatch(message);
    }
    expect(Number((await db().select({ n: count() }).from(watchouts))[0]!.n)).toBe(before);
  });

  it('refuses path mappings over the limits with 422, storing nothing', async () => {
    const admin = await tokenFor(db(), 'admin', ['admin']);
    const before = Number((await db().select({ n: count() }).from(pathMappings))[0]!.n);
    const res = await call(addMapping, '/api/v1/path-mappings', { auth: admin, body: { repo: 'acme/x', pathGlob: 'a*'.repeat(17), service: 'checkout' } });
    expect(res.status).toBe(422);
    expect(`${res.json.error.message} ${JSON.stringify(res.json.error)}`).toMatch(/pathGlob.*at most 16 wildcards/);
    expect(Number((await db().select({ n: count() }).from(pathMappings))[0]!.n)).toBe(before);
  });

  it('stores a pathological but allowed pattern and opens a change with a long path as fast as without it', async () => {
    const auth = await sessionFor(db(), 'mrossi');
    const path = 'a'.repeat(40);
    const created = await submit(db(), { externalId: `acme/tax#${uid('hp')}`, title: 'tax: long path', author: 'kchen', services: ['tax'], diff: diffOf(path, { del: ['a'], add: ['b'] }) });
    const reader = await tokenFor(db(), 'admin', ['gate:read']);
    const open = async () => {
      const started = performance.now();
      const res = await call(getChange, `/api/v1/changes/${created.id}`, { auth: reader, params: { id: String(created.id) } });
      expect(res.status).toBe(200);
      return performance.now() - started;
    };
    await open(); // warm-up
    const benign = Math.max(await open(), 20);
    const saved = await call(addWatchout, '/api/v1/watchouts', { auth, body: { scope: 'path', pattern: 'a*a*a*a*a*a*a*a*a*a*a*a*b', text } });
    expect(saved.status, saved.text).toBe(201);
    // Backtracking took ~10 s for 40 characters; a linear matcher is lost in the noise of one request.
    expect((await open()) / benign).toBeLessThan(10);
  });
});

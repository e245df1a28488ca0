// The environment is validated once, with a readable line per problem: a mistyped setting stops
// the server instead of silently meaning something else (a bad TRUSTED_PROXY_HOPS must not quietly
// trust nobody, or everybody).
import { afterEach, describe, expect, it } from 'vitest';
import { EnvError, getEnv, resetEnvCache } from '@/lib/env';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['TRUSTED_PROXY_HOPS', 'INCIDENT_SRE_TEAMS']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvCache();
});

describe('getEnv', () => {
  it('reads TRUSTED_PROXY_HOPS and INCIDENT_SRE_TEAMS with their defaults', () => {
    delete process.env.TRUSTED_PROXY_HOPS;
    delete process.env.INCIDENT_SRE_TEAMS;
    resetEnvCache();
    expect(getEnv()).toMatchObject({ TRUSTED_PROXY_HOPS: 0, INCIDENT_SRE_TEAMS: '' });
    process.env.TRUSTED_PROXY_HOPS = '2';
    resetEnvCache();
    expect(getEnv().TRUSTED_PROXY_HOPS).toBe(2);
  });

  it.each(['two', '-1', '1.5', '11'])('refuses TRUSTED_PROXY_HOPS=%s with a line naming it', (value) => {
    process.env.TRUSTED_PROXY_HOPS = value;
    resetEnvCache();
    expect(() => getEnv()).toThrow(EnvError);
    expect(() => getEnv()).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});

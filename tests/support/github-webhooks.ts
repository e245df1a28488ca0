// GitHub as the webhook tests see it: the published example payloads, a fake GitHub API the
// app is pointed at for the file's tests, and deliveries signed as GitHub signs them.
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll } from 'vitest';
import { POST as webhook } from '@/app/api/webhooks/github/route';
import { resetEnvCache } from '@/lib/env';
import { FakeGithub } from './fake-github';
import { call, type Json } from './http';

const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples') as { name: string; examples: Json[] }[];

/** Every published example of one event kind (copies: tests may edit them). */
export const examplesOf = (name: string): Json[] => structuredClone(EXAMPLES.find((e) => e.name === name)!.examples);
/** The first published example of an event kind, with this action when given. */
export const exampleOf = (name: string, action?: string): Json => examplesOf(name).find((x) => action === undefined || x.action === action)!;

const GITHUB_ENV = ['GITHUB_WEBHOOK_SECRET', 'GITHUB_API_URL', 'GITHUB_TOKEN'] as const;

/** Starts a fake GitHub for the file's tests and points the app at it with this webhook secret; restores the environment after. */
export function withFakeGithub(secret: string): FakeGithub {
  const fake = new FakeGithub();
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    await fake.start();
    for (const k of GITHUB_ENV) saved[k] = process.env[k];
    process.env.GITHUB_WEBHOOK_SECRET = secret;
    process.env.GITHUB_API_URL = fake.url;
    process.env.GITHUB_TOKEN = fake.token;
    resetEnvCache();
  });
  afterAll(async () => {
    await fake.stop();
    for (const k of GITHUB_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetEnvCache();
  });
  return fake;
}

export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface DeliverOptions {
  secret: string;
  delivery?: string;
  /** Changes the body after signing (a tampered delivery). */
  tamper?: (body: string) => string;
  /** A signature to send instead (null: none). */
  signature?: string | null;
}

/** Posts one delivery to the webhook route, signed with `secret` unless told otherwise. */
export async function deliverWebhook(event: string, payload: unknown, opts: DeliverOptions) {
  const body = JSON.stringify(payload);
  const signature = opts.signature === undefined ? signWebhook(body, opts.secret) : opts.signature;
  const sent = opts.tamper ? opts.tamper(body) : body;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': opts.delivery ?? randomUUID(), 'user-agent': 'GitHub-Hookshot/test' };
  if (signature) headers['x-hub-signature-256'] = signature;
  return call(webhook, '/api/webhooks/github', { method: 'POST', rawBody: sent, headers });
}

// A local fake of the GitHub REST endpoints Countersign calls, on 127.0.0.1: pull requests
// (JSON or diff by Accept header), their commits, the pull requests of a commit; the App's
// installation tokens (the JWT is verified with the App's public key), check runs, commit
// statuses and deployment protection rule answers, in GitHub's shapes. Tests set what it
// serves, can take it down, and read what it was asked. No test reaches the internet.
import { createVerify, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePull {
  pull: Record<string, unknown> & { number: number; head: { sha: string } };
  diff: string;
  commits: { sha: string; commit: { message: string; author?: { name?: string; email?: string } }; author?: { login: string; type?: string } | null }[];
}

export interface FakeRequest {
  method: string;
  path: string;
  accept: string;
  authorization: string | null;
  /** The parsed JSON body of a write. */
  body: Record<string, unknown> | null;
}

export interface FakeCheckRun {
  id: number;
  repo: string;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  output: { title: string; summary: string };
  /** Every body it was created or updated with, in order. */
  history: Record<string, unknown>[];
}

export interface FakeProtectionAnswer {
  repo: string;
  runId: number;
  environment_name: string;
  state: string;
  comment: string;
}

export class FakeGithub {
  url = '';
  token = 'ghp_fake_token_for_tests';
  readonly requests: FakeRequest[] = [];
  /** While true every call fails with 503, as during a GitHub outage. */
  down = false;
  private readonly pulls = new Map<string, FakePull>();
  /** Commits that reached a branch through a pull request (e.g. a merge commit): `repo@sha` → PR number. */
  private readonly commitPulls = new Map<string, number>();
  private server: http.Server | null = null;
  /** The App: its id and public key; installation tokens it handed out, with their expiry. */
  app: { id: string; publicKey: KeyObject } | null = null;
  tokenTtlMs = 60 * 60_000;
  readonly installationTokens = new Map<string, { installationId: number; expiresAt: number }>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly statuses: { repo: string; sha: string; state: string; context: string; description: string; target_url?: string }[] = [];
  readonly protectionAnswers: FakeProtectionAnswer[] = [];
  /** Answers to 5xx for the next n writes (an outage in the middle of updates). */
  failNextWrites = 0;

  /** The check runs on a commit, newest first (as GET /commits/{ref}/check-runs lists them). */
  checksFor(repo: string, sha: string): FakeCheckRun[] {
    return this.checkRuns.filter((c) => c.repo === repo.toLowerCase() && c.head_sha === sha).reverse();
  }

  /** Verifies an App JWT (RS256, iss = the App id, not expired) with the App's public key. */
  verifyJwt(jwt: string): { iss: string; iat: number; exp: number } | null {
    if (!this.app) return null;
    const [h, p, sig] = jwt.split('.');
    if (!h || !p || !sig) return null;
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'RS256') return null;
    const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(this.app.publicKey, Buffer.from(sig, 'base64url'));
    if (!ok) return null;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss: string; iat: number; exp: number };
    const now = Date.now() / 1000;
    if (String(claims.iss) !== this.app.id || claims.exp < now || claims.iat > now + 60 || claims.exp - claims.iat > 600) return null;
    return claims;
  }

  private authorized(authorization: string | undefined): boolean {
    if (authorization === `Bearer ${this.token}`) return true;
    const t = /^(?:Bearer|token) (.+)$/.exec(authorization ?? '')?.[1];
    const issued = t ? this.installationTokens.get(t) : undefined;
    return !!issued && issued.expiresAt > Date.now();
  }

  setPull(repo: string, data: FakePull): void {
    this.pulls.set(`${repo.toLowerCase()}#${data.pull.number}`, data);
  }

  linkCommit(repo: string, sha: string, number: number): void {
    this.commitPulls.set(`${repo.toLowerCase()}@${sha}`, number);
  }

  getPull(repo: string, number: number): FakePull | undefined {
    return this.pulls.get(`${repo.toLowerCase()}#${number}`);
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private send(res: http.ServerResponse, status: number, body: unknown, type = 'application/json'): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    // No keep-alive: a pooled socket the fake closed between tests would fail the next call with ECONNRESET.
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), connection: 'close' });
    res.end(text);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const accept = String(req.headers.accept ?? '');
    const method = req.method ?? 'GET';
    let body: Record<string, unknown> | null = null;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    } catch {
      return this.send(res, 400, { message: 'Problems parsing JSON' });
    }
    this.requests.push({ method, path: url.pathname, accept, authorization: req.headers.authorization ?? null, body });
    if (this.down) return this.send(res, 503, { message: 'Service Unavailable' });
    if (method !== 'GET' && this.failNextWrites > 0) {
      this.failNextWrites--;
      return this.send(res, 502, { message: 'Server Error' });
    }
    let m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (m && method === 'POST') {
      const jwt = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!jwt || !this.verifyJwt(jwt)) return this.send(res, 401, { message: 'A JSON web token could not be decoded' });
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      const expiresAt = Date.now() + this.tokenTtlMs;
      this.installationTokens.set(token, { installationId: Number(m[1]), expiresAt });
      return this.send(res, 201, { token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: { checks: 'write' }, repository_selection: 'all' });
    }
    if (!this.authorized(req.headers.authorization)) return this.send(res, 401, { message: 'Bad credentials' });
    m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs(?:\/(\d+))?$/.exec(url.pathname);
    if (m && (method === 'POST' || method === 'PATCH')) {
      const repo = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`.toLowerCase();
      const b = body ?? {};
      let run: FakeCheckRun | undefined;
      if (method === 'POST') {
        if (typeof b.name !== 'string' || typeof b.head_sha !== 'string') return this.send(res, 422, { message: 'Invalid request.' });
        run = { id: 4_000_000 + this.checkRuns.length + 1, repo, head_sha: b.head_sha, name: b.name, status: 'queued', conclusion: null, details_url: null, output: { title: '', summary: '' }, history: [] };
        this.checkRuns.push(run);
      } else {
        run = this.checkRuns.find((c) => c.id === Number(m![3]) && c.repo === repo);
        if (!run) return this.send(res, 404, { message: 'Not Found' });
      }
      if (b.status === 'completed' && !b.conclusion) return this.send(res, 422, { message: 'conclusion is required when status is completed' });
      if (typeof b.status === 'string') run.status = b.status;
      if (typeof b.conclusion === 'string') run.conclusion = b.conclusion;
      if (typeof b.details_url === 'string') run.details_url = b.details_url;
      if (b.output) run.output = b.output as FakeCheckRun['output'];
      run.history.push(b);
      return this.send(res, method === 'POST' ? 201 : 200, { id: run.id, head_sha: run.head_sha, name: run.name, status: run.status, conclusion: run.conclusion, details_url: run.details_url, output: run.output });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]+)$/.exec(url.pathname);
    if (m && method === 'POST') {
      const b = (body ?? {}) as { state?: string; context?: string; description?: string; target_url?: string };
      if (!b.state || !['error', 'failure', 'pending', 'success'].includes(b.state)) return this.send(res, 422, { message: 'Validation Failed' });
      this.statuses.push({ repo: `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`.toLowerCase(), sha: m[3]!, state: b.state, context: b.context ?? 'default', description: b.description ?? '', target_url: b.target_url });
      return this.send(res, 201, { state: b.state, context: b.context ?? 'default' });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/deployment_protection_rule$/.exec(url.pathname);
    if (m && method === 'POST') {
      const b = (body ?? {}) as { environment_name?: string; state?: string; comment?: string };
      if (!b.environment_name || (b.state !== 'approved' && b.state !== 'rejected')) return this.send(res, 422, { message: 'Validation Failed' });
      this.protectionAnswers.push({ repo: `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`.toLowerCase(), runId: Number(m[3]), environment_name: b.environment_name, state: b.state, comment: b.comment ?? '' });
      return this.send(res, 204, '');
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname);
    if (m) {
      const pr = this.getPull(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`, Number(m[3]));
      if (!pr) return this.send(res, 404, { message: 'Not Found' });
      if (/diff/.test(accept)) return this.send(res, 200, pr.diff, 'text/plain; charset=utf-8');
      return this.send(res, 200, pr.pull);
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/commits$/.exec(url.pathname);
    if (m) {
      const pr = this.getPull(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`, Number(m[3]));
      if (!pr) return this.send(res, 404, { message: 'Not Found' });
      const page = Number(url.searchParams.get('page') ?? '1');
      return this.send(res, 200, page === 1 ? pr.commits : []);
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/pulls$/.exec(url.pathname);
    if (m) {
      const repo = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`.toLowerCase();
      const sha = decodeURIComponent(m[3]!);
      const linked = this.commitPulls.get(`${repo}@${sha}`);
      const found = [...this.pulls.entries()].filter(
        ([k, p]) => k.startsWith(`${repo}#`) && (p.pull.head.sha === sha || (p.pull as { merge_commit_sha?: string }).merge_commit_sha === sha || p.pull.number === linked),
      );
      return this.send(res, 200, found.map(([, p]) => p.pull));
    }
    this.send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }
}

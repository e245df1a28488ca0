// A local fake of the few GitHub REST endpoints ingestion calls, on 127.0.0.1: pull requests
// (JSON or diff by Accept header), their commits, and the pull requests of a commit. Tests
// set what it serves, can take it down, and read what it was asked. No test reaches the internet.
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
    this.server = http.createServer((req, res) => this.handle(req, res));
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
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const accept = String(req.headers.accept ?? '');
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, accept, authorization: req.headers.authorization ?? null });
    if (this.down) return this.send(res, 503, { message: 'Service Unavailable' });
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.send(res, 401, { message: 'Bad credentials' });
    let m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname);
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

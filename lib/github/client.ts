// The few GitHub REST calls Countersign makes, at GITHUB_API_URL (GitHub Enterprise too), with the
// installation's App token or GITHUB_TOKEN (lib/github/app.ts). Bounded: a timeout per call and a
// size cap on diffs.
import { getEnv } from '@/lib/env';
import { GithubAuthError, tokenFor } from './app';
import { LIMITS } from '@/lib/changes/schema';

export class GithubApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** Retrying cannot help (e.g. the diff is over the limit). */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'GithubApiError';
  }
}

export interface GithubUser {
  login: string;
  type?: string | null;
}

export interface GithubPull {
  number: number;
  title: string;
  body: string | null;
  html_url: string;
  state: 'open' | 'closed';
  merged?: boolean | null;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  closed_at?: string | null;
  draft?: boolean;
  user: GithubUser;
  labels: { name: string }[];
  head: { sha: string; ref: string };
  base: { ref: string; repo?: { full_name: string } | null };
}

export interface GithubCommit {
  sha: string;
  commit: { message: string; author?: { name?: string; email?: string } | null };
  author?: GithubUser | null;
}

const TIMEOUT_MS = 15_000;

export interface CheckRunInput {
  name: string;
  head_sha?: string;
  status: 'completed';
  conclusion: 'action_required' | 'success' | 'neutral' | 'failure';
  details_url?: string;
  external_id?: string;
  completed_at: string;
  output: { title: string; summary: string };
  actions?: { label: string; description: string; identifier: string }[];
}

export interface CommitStatusInput {
  state: 'success' | 'failure' | 'pending' | 'error';
  context: string;
  description: string;
  target_url?: string;
}

export interface GithubClient {
  getPull(repo: string, number: number): Promise<GithubPull>;
  getPullDiff(repo: string, number: number): Promise<string>;
  listPullCommits(repo: string, number: number): Promise<GithubCommit[]>;
  pullsForCommit(repo: string, sha: string): Promise<GithubPull[]>;
  createCheckRun(repo: string, input: CheckRunInput & { head_sha: string }): Promise<{ id: number }>;
  updateCheckRun(repo: string, id: number, input: CheckRunInput): Promise<{ id: number }>;
  createStatus(repo: string, sha: string, input: CommitStatusInput): Promise<void>;
  /** Answers a deployment protection rule request at the callback URL its delivery named (on this API only). */
  reviewDeploymentProtectionRule(callbackUrl: string, input: { environment_name: string; state: 'approved' | 'rejected'; comment: string }): Promise<void>;
}

/** Pure: whether a delivery's deployment_callback_url is a protection rule endpoint of this GitHub API. */
export function isProtectionCallbackOf(apiBase: string, callbackUrl: string): boolean {
  let u: URL;
  try {
    u = new URL(callbackUrl);
  } catch {
    return false;
  }
  const b = new URL(apiBase);
  return u.origin === b.origin && u.pathname.startsWith(`${b.pathname.replace(/\/+$/, '')}/repos/`) && /^\/[^?#]*\/actions\/runs\/\d+\/deployment_protection_rule$/.test(u.pathname) && !u.search;
}

function repoPath(repo: string): string {
  const [owner, name] = repo.split('/');
  if (!owner || !name) throw new GithubApiError(`Not a repository name: ${repo}`, null, true);
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

/**
 * A client for one installation's repositories. `token` overrides; otherwise the installation's
 * App token when an App is configured and `installationId` is known, else GITHUB_TOKEN.
 */
export function githubClient(opts: { baseUrl?: string; token?: string | null; installationId?: number | null } = {}): GithubClient {
  const env = getEnv();
  const base = (opts.baseUrl ?? env.GITHUB_API_URL).replace(/\/+$/, '');

  async function authToken(): Promise<string | null> {
    if (opts.token !== undefined) return opts.token;
    try {
      return await tokenFor(opts.installationId);
    } catch (err) {
      if (err instanceof GithubAuthError) {
        const permanent = err.status === 401 || err.status === 403 || err.status === 404 || err.status === null && !/unreachable/.test(err.message);
        throw new GithubApiError(err.message, err.status, permanent);
      }
      throw err;
    }
  }

  async function request(path: string, accept: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    const token = await authToken();
    const url = /^https?:\/\//.test(path) ? path : `${base}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: {
          accept,
          'user-agent': 'countersign',
          'x-github-api-version': '2022-11-28',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new GithubApiError(`GitHub API at ${base} unreachable (${cause ?? (err as Error).name}): ${(err as Error).message}`, null);
    }
    if (!res.ok) {
      let detail = '';
      try {
        detail = ((await res.json()) as { message?: string }).message ?? '';
      } catch {
        /* not JSON */
      }
      const hint = res.status === 401 || res.status === 403 ? ' Check GITHUB_TOKEN (or the GitHub App installation) and its access to the repository.' : '';
      throw new GithubApiError(`GitHub answered ${res.status} for ${path}${detail ? `: ${detail}` : ''}.${hint}`, res.status, res.status === 406 || res.status === 422);
    }
    return res;
  }

  async function json<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
    const res = await request(path, 'application/vnd.github+json', init);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  return {
    getPull: (repo, number) => json<GithubPull>(`${repoPath(repo)}/pulls/${number}`),
    async getPullDiff(repo, number) {
      const res = await request(`${repoPath(repo)}/pulls/${number}`, 'application/vnd.github.diff');
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > LIMITS.maxDiffBytes) {
        await res.body?.cancel();
        throw new GithubApiError(`The pull request's diff is ${declared} bytes; the limit is ${LIMITS.maxDiffBytes}.`, res.status, true);
      }
      const text = await res.text();
      if (Buffer.byteLength(text) > LIMITS.maxDiffBytes) throw new GithubApiError(`The pull request's diff is over the limit of ${LIMITS.maxDiffBytes} bytes.`, res.status, true);
      return text;
    },
    async listPullCommits(repo, number) {
      // GitHub lists at most 250 commits here; enough to read trailers.
      const out: GithubCommit[] = [];
      for (let page = 1; page <= 3; page++) {
        const batch = await json<GithubCommit[]>(`${repoPath(repo)}/pulls/${number}/commits?per_page=100&page=${page}`);
        out.push(...batch);
        if (batch.length < 100) break;
      }
      return out;
    },
    pullsForCommit: (repo, sha) => json<GithubPull[]>(`${repoPath(repo)}/commits/${encodeURIComponent(sha)}/pulls`),
    createCheckRun: (repo, input) => json<{ id: number }>(`${repoPath(repo)}/check-runs`, { method: 'POST', body: input }),
    updateCheckRun: (repo, id, input) => json<{ id: number }>(`${repoPath(repo)}/check-runs/${id}`, { method: 'PATCH', body: input }),
    async createStatus(repo, sha, input) {
      await json(`${repoPath(repo)}/statuses/${encodeURIComponent(sha)}`, { method: 'POST', body: input });
    },
    async reviewDeploymentProtectionRule(callbackUrl, input) {
      // The installation token goes only to this GitHub API: a callback elsewhere is refused.
      if (!isProtectionCallbackOf(base, callbackUrl)) {
        throw new GithubApiError(`The deployment callback URL ${callbackUrl} is not a deployment protection rule endpoint of ${base}.`, null, true);
      }
      await json(callbackUrl, { method: 'POST', body: input });
    },
  };
}

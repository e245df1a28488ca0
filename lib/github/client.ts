// The few GitHub REST calls ingestion needs, at GITHUB_API_URL (GitHub Enterprise too) with
// GITHUB_TOKEN. Bounded: a timeout per call and a size cap on diffs.
import { getEnv } from '@/lib/env';
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

export interface GithubClient {
  getPull(repo: string, number: number): Promise<GithubPull>;
  getPullDiff(repo: string, number: number): Promise<string>;
  listPullCommits(repo: string, number: number): Promise<GithubCommit[]>;
  pullsForCommit(repo: string, sha: string): Promise<GithubPull[]>;
}

function repoPath(repo: string): string {
  const [owner, name] = repo.split('/');
  if (!owner || !name) throw new GithubApiError(`Not a repository name: ${repo}`, null, true);
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

export function githubClient(opts: { baseUrl?: string; token?: string | null } = {}): GithubClient {
  const env = getEnv();
  const base = (opts.baseUrl ?? env.GITHUB_API_URL).replace(/\/+$/, '');
  const token = opts.token === undefined ? env.GITHUB_TOKEN : opts.token;

  async function request(path: string, accept: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        headers: {
          accept,
          'user-agent': 'countersign',
          'x-github-api-version': '2022-11-28',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
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
      const hint = res.status === 401 || res.status === 403 ? ' Check GITHUB_TOKEN and its access to the repository.' : '';
      throw new GithubApiError(`GitHub answered ${res.status} for ${path}${detail ? `: ${detail}` : ''}.${hint}`, res.status, res.status === 406 || res.status === 422);
    }
    return res;
  }

  async function json<T>(path: string): Promise<T> {
    return (await (await request(path, 'application/vnd.github+json')).json()) as T;
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
  };
}

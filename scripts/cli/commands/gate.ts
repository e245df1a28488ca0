// `countersign gate`: the deploy gate for a pipeline step. Talks to the server over HTTP
// (the server may hold the embedded database), prints the decision and its reasons in
// words, and exits 0 when allowed, 1 when blocked (or unreachable), 2 on a usage error.
import { parseArgs } from 'node:util';
import { COMMIT_SHA_PATTERN, GATE_REASON_TEXT, type GateReason } from '@/lib/policy/approvals';
import type { Command } from '../command';
import { CliError, out } from '../context';

interface GateAnswer {
  allowed: boolean;
  reasons: string[];
  approvals: { required: number; valid: number };
  messages?: string[];
  verified?: boolean;
  warnings?: string[];
  change?: { id: number; externalId: string; revision: { number: number; sha: string } | null } | null;
  environment?: string;
}

const USAGE = 2;
const BLOCKED = 1;

/** "30m", "90s", "1h", "1500ms" or plain seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`${flag} takes a duration such as 30m, 90s or 1h (got "${text}").`, USAGE);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

class TransientError extends Error {}

async function ask(url: string, token: string): Promise<GateAnswer> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new TransientError(`cannot reach Countersign at ${new URL(url).origin} (${cause})`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  if (res.status === 200 && body && typeof body === 'object' && 'allowed' in body) return body as GateAnswer;
  const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const detail = err?.message ?? `HTTP ${res.status}`;
  if (res.status === 401) throw new CliError(`the server refused the token (${detail}) — check --token or COUNTERSIGN_TOKEN.`, USAGE);
  if (res.status === 403) throw new CliError(`the token may not ask the gate: ${detail} It needs the gate:read scope.`, USAGE);
  if (res.status === 400 || res.status === 404) throw new CliError(`${detail} (is --url pointing at Countersign?)`, USAGE);
  throw new TransientError(`the server answered ${res.status}: ${detail}`);
}

function describe(a: GateAnswer, ref: string, environment: string): string[] {
  const rev = a.change?.revision ? ` r${a.change.revision.number} ${a.change.revision.sha.slice(0, 12)}` : '';
  const name = a.change ? `${a.change.externalId} (#${a.change.id}${rev})` : ref;
  const head = `${a.allowed ? '✓ ALLOWED' : '✗ BLOCKED'}  ${name} → ${a.environment ?? environment}  ·  approvals ${a.approvals.valid} of ${a.approvals.required}`;
  const lines = a.reasons.map((r, i) => `  - ${a.messages?.[i] ?? GATE_REASON_TEXT[r as GateReason] ?? r} (${r})`);
  if (a.warnings?.includes('commit_unverified')) lines.push('  ! No --commit given: this answer does not say what may be deployed (commit_unverified).');
  return [head, ...lines];
}

export const gate: Command = {
  name: 'gate',
  summary: 'Ask the deploy gate if a change may deploy: exit 0 allowed, 1 blocked.',
  help: [
    'Options:',
    '  --change <id|externalId>   the change to deploy, e.g. acme/checkout#412',
    '  --commit <sha>             the full git commit being deployed: allowed only if it is the head commit',
    '                             of the approved current revision (strongly recommended)',
    '  --repo <owner/name>        with --commit and no --change: find the change by the commit',
    '  --environment <name>       where it is going (default production)',
    '  --wait                     keep asking until it is allowed or --timeout passes',
    '  --timeout <duration>       with --wait: how long to wait (default 30m; e.g. 90s, 2h)',
    '  --interval <duration>      with --wait: time between questions (default 15s)',
    '  --url <url>                the Countersign server (default $COUNTERSIGN_URL or http://localhost:$PORT)',
    '  --token <token>            an API token with the gate:read scope (default $COUNTERSIGN_TOKEN)',
    '  --json                     print the final answer as JSON instead of words',
    '',
    'Exit status: 0 allowed, 1 blocked (or the server could not be reached), 2 usage or token error.',
    'Every question is recorded as a gate decision; a production deployment the gate would not allow',
    'when it is reported (sign-off re-evaluated, commit checked) is flagged as a bypass.',
  ].join('\n'),
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          change: { type: 'string' },
          commit: { type: 'string' },
          repo: { type: 'string' },
          environment: { type: 'string', default: 'production' },
          wait: { type: 'boolean', default: false },
          timeout: { type: 'string', default: '30m' },
          interval: { type: 'string', default: '15s' },
          url: { type: 'string' },
          token: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      }));
    } catch (err) {
      throw new CliError((err as Error).message, USAGE);
    }
    const commit = values.commit?.trim().toLowerCase();
    const repo = values.repo?.trim();
    if (commit && !COMMIT_SHA_PATTERN.test(commit)) throw new CliError(`--commit takes the full git commit sha (40 hex characters), got "${values.commit}".`, USAGE);
    const ref = values.change?.trim() || (repo && commit ? `${repo}@${commit.slice(0, 12)}` : '');
    if (!ref) throw new CliError('--change <id|externalId> is required (or --repo <owner/name> with --commit <sha>).', USAGE);
    const token = values.token ?? process.env.COUNTERSIGN_TOKEN;
    if (!token) throw new CliError('give an API token with the gate:read scope: --token <token> or COUNTERSIGN_TOKEN.', USAGE);
    const environment = values.environment!.trim() || 'production';
    const timeoutMs = parseDuration(values.timeout!, '--timeout');
    const intervalMs = Math.max(parseDuration(values.interval!, '--interval'), 200);
    const base = values.url ?? process.env.COUNTERSIGN_URL ?? `http://localhost:${process.env.PORT || 3000}`;
    let url: URL;
    try {
      url = new URL('/api/v1/gate', base);
    } catch {
      throw new CliError(`--url is not a URL: ${base}`, USAGE);
    }
    if (values.change?.trim()) url.searchParams.set('change', values.change.trim());
    else url.searchParams.set('repo', repo!);
    if (commit) url.searchParams.set('commit', commit);
    url.searchParams.set('environment', environment);

    const deadline = Date.now() + timeoutMs;
    let last: GateAnswer | null = null;
    let lastKey = '';
    if (values.wait && !values.json) out.line(`Waiting up to ${formatDuration(timeoutMs)} for ${ref} to be allowed to ${environment} (asking every ${formatDuration(intervalMs)})…`);
    for (;;) {
      try {
        last = await ask(url.toString(), token);
        const key = JSON.stringify([last.allowed, last.reasons, last.approvals]);
        if (!values.json && (key !== lastKey || last.allowed || !values.wait)) {
          for (const line of describe(last, ref, environment)) out.line(line);
        }
        lastKey = key;
        if (last.allowed) break;
        if ((last.reasons.includes('unknown_change') || last.reasons.includes('unknown_commit')) && !values.wait) break;
      } catch (err) {
        if (!(err instanceof TransientError)) throw err;
        if (!values.wait || Date.now() + intervalMs > deadline) throw new CliError(`${err.message}; the deploy is blocked.`, BLOCKED);
        out.err(`countersign: ${err.message}; retrying.`);
      }
      if (!values.wait) break;
      if (Date.now() + intervalMs > deadline) {
        if (!values.json) out.line(`Timed out after ${formatDuration(timeoutMs)}: still blocked.`);
        break;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    if (values.json && last) out.line(JSON.stringify(last));
    return last?.allowed ? 0 : BLOCKED;
  },
};

// `countersign submit`: a pipeline step that records a change (and its diff or Terraform plan)
// through POST /api/v1/changes on the server — which may hold the embedded database — and
// prints its risk, the approvals it needs and where to review it.
import { parseArgs } from 'node:util';
import { AI_LEVELS, CHANGE_KINDS } from '@/db/schema/enums';
import type { Command } from '../command';
import { CliError, out } from '../context';
import { callServer, readSource, serverToken, serverUrl } from '../http';

interface SubmitAnswer {
  id: number;
  externalId: string;
  created: boolean;
  /** Absent from servers older than the default author. */
  author?: string;
  revision: { number: number; sha: string; created: boolean };
  status: string;
  risk: { score: number; level: string };
  approvals: { required: number; valid: number };
}

export const submit: Command = {
  name: 'submit',
  summary: 'Submit a change (diff and/or Terraform plan) to the server for review.',
  help: [
    'Usage: countersign submit --external-id <org/repo#123> --title <text> --service <slug>',
    '                          (--diff <file|-> | --terraform-plan <file>) [options]',
    '',
    'Options:',
    '  --external-id <id>        the change in your tracker, e.g. acme/checkout#123 (required)',
    '  --title <text>            (required)',
    '  --service <slug>          a touched service; repeatable (required)',
    '  --author <handle>         who wrote it: a Countersign handle or GitHub login (default $GITHUB_ACTOR when set,',
    '                            else the owner of the token; a change already recorded keeps its author)',
    '  --co-author <handle>      repeatable',
    '  --kind <kind>             ' + CHANGE_KINDS.join(' | ') + ' (default code)',
    '  --ai <level>              ' + AI_LEVELS.join(' | ') + ' (default none)',
    '  --ai-tool <name>          e.g. kiro, copilot, claude',
    '  --environment <name>      default production',
    '  --predeploy-validated     automated pre-deployment validation ran (required for Tier-1 production)',
    '  --no-predeploy-validation declare that none ran',
    '  --diff <file|->           unified diff; "-" reads stdin: git diff main...HEAD | countersign submit --diff - …',
    '  --terraform-plan <file>   output of `terraform show -json plan.out`',
    '  --repo <org/repo>         default: the part of --external-id before #',
    '  --commit <sha>            the head commit of this content: the gate allows deploying only it',
    '  --description <text>',
    '  --link <url>              the pull request or merge request',
    '  --url <url>               the Countersign server (default $COUNTERSIGN_URL or http://localhost:$PORT)',
    '  --token <token>           an API token with changes:write (default $COUNTERSIGN_TOKEN)',
    '  --json                    print the server’s answer as JSON',
    '',
    'Exit status: 0 when recorded, 1 when the server refused it (its message is printed), 2 on usage errors.',
    'The same content again records no new revision, so retries are safe.',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        'external-id': { type: 'string' },
        title: { type: 'string' },
        service: { type: 'string', multiple: true },
        author: { type: 'string' },
        'co-author': { type: 'string', multiple: true },
        kind: { type: 'string' },
        ai: { type: 'string' },
        'ai-tool': { type: 'string' },
        environment: { type: 'string' },
        'predeploy-validated': { type: 'boolean' },
        'no-predeploy-validation': { type: 'boolean' },
        diff: { type: 'string' },
        'terraform-plan': { type: 'string' },
        repo: { type: 'string' },
        commit: { type: 'string' },
        description: { type: 'string' },
        link: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const missing = ['external-id', 'title'].filter((k) => !values[k as keyof typeof values]);
    if (!values.service?.length) missing.push('service');
    if (missing.length) throw new CliError(`Missing ${missing.map((m) => `--${m}`).join(', ')} (see countersign submit --help).`, 2);
    if (!values.diff && !values['terraform-plan']) throw new CliError('Give --diff <file|-> and/or --terraform-plan <file>.', 2);
    if (values.kind && !(CHANGE_KINDS as readonly string[]).includes(values.kind)) throw new CliError(`--kind must be one of ${CHANGE_KINDS.join(', ')}.`, 2);
    if (values.ai && !(AI_LEVELS as readonly string[]).includes(values.ai)) throw new CliError(`--ai must be one of ${AI_LEVELS.join(', ')}.`, 2);
    if (values['predeploy-validated'] && values['no-predeploy-validation']) throw new CliError('Give --predeploy-validated or --no-predeploy-validation, not both.', 2);
    const token = serverToken(values.token);
    if (!token) throw new CliError('No API token: pass --token or set COUNTERSIGN_TOKEN (create one with `countersign token create --scope changes:write`).', 2);
    const url = serverUrl(values.url);

    const diff = values.diff ? await readSource(values.diff, '--diff') : null;
    if (values.diff && !diff?.trim() && !values['terraform-plan']) throw new CliError('--diff is empty: nothing changed?', 2);
    let terraformPlan: unknown = null;
    if (values['terraform-plan']) {
      const text = await readSource(values['terraform-plan'], '--terraform-plan');
      try {
        terraformPlan = JSON.parse(text);
      } catch (err) {
        throw new CliError(`--terraform-plan is not JSON (${(err as Error).message}); use \`terraform show -json plan.out\`.`, 2);
      }
    }
    const externalId = values['external-id']!;
    // Explicit --author wins; in GitHub Actions the actor is who triggered the run; otherwise the server
    // takes the token's owner (or keeps the author of a change it already has).
    const githubActor = process.env.GITHUB_ACTOR?.trim() || undefined;
    const author = values.author?.trim() || githubActor;
    const authorFrom = values.author?.trim() ? null : githubActor ? 'GITHUB_ACTOR' : 'token';
    const body = {
      externalId,
      repo: values.repo ?? (externalId.includes('#') ? externalId.slice(0, externalId.indexOf('#')) : null),
      ...(values.commit?.trim() ? { commit: values.commit.trim() } : {}),
      title: values.title,
      description: values.description ?? '',
      url: values.link ?? null,
      ...(author ? { author } : {}),
      coAuthors: values['co-author'] ?? [],
      services: values.service,
      kind: values.kind ?? 'code',
      ai: { level: values.ai ?? 'none', tool: values['ai-tool'] ?? null },
      environment: values.environment ?? 'production',
      validation: { preDeploy: values['predeploy-validated'] ? true : values['no-predeploy-validation'] ? false : null },
      diff: diff?.trim() ? diff : null,
      terraformPlan,
    };
    let r: SubmitAnswer;
    try {
      r = (await callServer<SubmitAnswer>({ url, token }, { path: '/api/v1/changes', json: body })).body;
    } catch (err) {
      if (authorFrom === 'GITHUB_ACTOR' && err instanceof CliError && /\bunknown_person\)/.test(err.message) && err.message.includes(githubActor!)) {
        throw new CliError(`${err.message} The author ${githubActor} came from GITHUB_ACTOR: pass --author <handle> to name someone Countersign knows.`, err.exitCode);
      }
      if (authorFrom === 'GITHUB_ACTOR' && err instanceof CliError && /\bauthor_not_caller\)/.test(err.message)) {
        throw new CliError(`${err.message} The author ${githubActor} came from GITHUB_ACTOR: use the pipeline account's token, or pass --author <your handle>.`, err.exitCode);
      }
      throw err;
    }
    if (values.json) {
      out.line(JSON.stringify(r, null, 2));
      return 0;
    }
    const what = r.created ? 'recorded' : r.revision.created ? `revised (revision ${r.revision.number})` : 'unchanged (same content: no new revision)';
    out.line(`Change #${r.id} ${r.externalId} ${what}`);
    if (r.author) out.line(`  Author:    ${r.author}${authorFrom === 'GITHUB_ACTOR' ? ' (from GITHUB_ACTOR)' : authorFrom === 'token' ? (r.created ? ' (the token’s owner: no --author given)' : ' (as recorded: no --author given)') : ''}`);
    out.line(`  Revision:  ${r.revision.number} (${r.revision.sha.slice(0, 12)})`);
    out.line(`  Risk:      ${r.risk.score} ${r.risk.level}`);
    out.line(`  Approvals: ${r.approvals.valid} of ${r.approvals.required} required`);
    out.line(`  Status:    ${r.status}`);
    out.line(`  ${url}/changes/${r.id}`);
    return 0;
  },
};

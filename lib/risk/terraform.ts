// Reads `terraform show -json` output down to what a reviewer must see: which resource each change
// touches and whether it is destroyed. The rest of the plan (values, configuration) is ignored on
// purpose: it is large, provider-specific, and says nothing the actions do not.
import { RiskInputError } from './errors';
import type { TerraformAction, TerraformPlanSummary, TerraformResourceChange } from './types';

const RAW_ACTIONS = new Set(['create', 'read', 'update', 'delete', 'no-op', 'forget', 'open', 'renew', 'close']);
const TERRAFORM_ACTIONS: readonly TerraformAction[] = ['create', 'update', 'delete', 'replace', 'read', 'no-op'];

/** Accepts the JSON text or the already-parsed object. */
export function parseTerraformPlan(json: unknown): TerraformPlanSummary {
  const plan = typeof json === 'string' ? parsePlanText(json) : json;
  if (!isRecord(plan)) {
    throw invalid(`a Terraform plan must be a JSON object (the output of \`terraform show -json\`), not ${describe(plan)}`);
  }

  const formatVersion = plan.format_version;
  if (formatVersion !== undefined && typeof formatVersion !== 'string') {
    throw invalid(`\`format_version\` must be a string, not ${describe(formatVersion)}`);
  }
  const changes = plan.resource_changes;
  if (changes === undefined) {
    if (formatVersion === undefined) {
      throw invalid('neither `format_version` nor `resource_changes` is present; is this the output of `terraform show -json <planfile>`?');
    }
    return summarize(formatVersion, []); // a plan with no changes omits resource_changes
  }
  if (!Array.isArray(changes)) throw invalid(`\`resource_changes\` must be an array, not ${describe(changes)}`);

  const resources = changes.map((change, index) => toResourceChange(change, index));
  return summarize(formatVersion ?? null, resources);
}

function parsePlanText(text: string): unknown {
  if (text.trim() === '') throw invalid('the plan is empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalid(`the plan is not valid JSON (${reason.split('\n')[0]}); send the output of \`terraform show -json <planfile>\``);
  }
}

function toResourceChange(raw: unknown, index: number): TerraformResourceChange {
  const where = `resource_changes[${index}]`;
  if (!isRecord(raw)) throw invalid(`\`${where}\` must be an object, not ${describe(raw)}`);
  const { address, type, name, change } = raw;
  if (typeof address !== 'string' || address === '') throw invalid(`\`${where}.address\` must be a non-empty string`);
  if (typeof type !== 'string' || type === '') throw invalid(`\`${where}.type\` (${address}) must be a non-empty string`);
  if (typeof name !== 'string' || name === '') throw invalid(`\`${where}.name\` (${address}) must be a non-empty string`);
  if (!isRecord(change)) throw invalid(`\`${where}.change\` (${address}) must be an object`);
  const rawActions = change.actions;
  if (!Array.isArray(rawActions) || rawActions.length === 0) {
    throw invalid(`\`${where}.change.actions\` (${address}) must be a non-empty array such as ["update"] or ["delete","create"]`);
  }
  const actions: TerraformAction[] = [];
  for (const action of rawActions) {
    if (typeof action !== 'string' || !RAW_ACTIONS.has(action)) {
      throw invalid(`\`${where}.change.actions\` (${address}) contains ${describe(action)}; expected create, read, update, delete or no-op`);
    }
    // Newer Terraform versions add 'forget' (removed from state, kept in the cloud) and ephemeral actions: not destructive.
    actions.push(action === 'forget' || action === 'open' || action === 'renew' || action === 'close' ? 'no-op' : action as TerraformAction);
  }
  const action = summarizeActions(actions, address, where);
  return { address, type, name, actions, action, destructive: action === 'delete' || action === 'replace' };
}

/** Terraform's own encoding: replace is ["delete","create"] (or ["create","delete"] with create_before_destroy). */
function summarizeActions(actions: TerraformAction[], address: string, where: string): TerraformAction {
  if (actions.length === 1) return actions[0] ?? 'no-op';
  if (actions.length === 2 && actions.includes('delete') && actions.includes('create')) return 'replace';
  throw invalid(`\`${where}.change.actions\` (${address}) is ${JSON.stringify(actions)}; Terraform only combines "delete" and "create"`);
}

function summarize(formatVersion: string | null, resources: TerraformResourceChange[]): TerraformPlanSummary {
  const counts = Object.fromEntries(TERRAFORM_ACTIONS.map((action) => [action, 0])) as Record<TerraformAction, number>;
  for (const resource of resources) counts[resource.action] += 1;
  return { formatVersion, resources, counts };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `a ${typeof value}`;
}

function invalid(reason: string): RiskInputError {
  return new RiskInputError('invalid_plan', `Invalid Terraform plan: ${reason}.`);
}

// The closed vocabularies of the domain, shared by the schema's check constraints,
// the zod input schemas and the UI. One list each, never retyped elsewhere.
export const ROLES = ['engineer', 'senior', 'director', 'vp', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const TIERS = [1, 2, 3] as const;
export type Tier = (typeof TIERS)[number];

export const CHANGE_KINDS = ['code', 'config', 'infra', 'schema'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const AI_LEVELS = ['none', 'assisted', 'generated', 'agent'] as const;
export type AiLevel = (typeof AI_LEVELS)[number];

export const CHANGE_STATUSES = ['pending', 'approved', 'rejected', 'deployed', 'rolled_back'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const DECISIONS = ['approve', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];

export const FILE_STATUSES = ['added', 'modified', 'deleted', 'renamed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export const WATCHOUT_SCOPES = ['service', 'path', 'config_key'] as const;
export type WatchoutScope = (typeof WATCHOUT_SCOPES)[number];

export const DEPLOYMENT_STATUSES = ['started', 'succeeded', 'failed', 'rolled_back'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const TOKEN_SCOPES = ['changes:write', 'gate:read', 'deployments:write', 'audit:read', 'approve', 'attest', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const SEVERITIES = [1, 2, 3, 4] as const; // SEV-1 is the worst
export type Severity = (typeof SEVERITIES)[number];

/** `col IN ('a','b')` for a check constraint; values are our own constants, never user input. */
export function inList(values: readonly (string | number)[]): string {
  return values.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ');
}

/** What waits for a second administrator (issue 10): see lib/admin/confirmations.ts. */
export const CONFIRMATION_KINDS = ['person.update', 'person.create', 'person.password', 'service.tier'] as const;
export type ConfirmationKind = (typeof CONFIRMATION_KINDS)[number];
export const CONFIRMATION_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

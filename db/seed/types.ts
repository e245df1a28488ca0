// The shapes of the demo organisation's content, as plain data: the loader turns
// them into rows, the tests check them, and nothing here knows about the database.

export interface SeedTeam { slug: string; name: string; description: string }

export interface SeedService {
  slug: string;
  name: string;
  tier: 1 | 2 | 3;
  team: string;
  system: string;
  description: string;
  repo: string;
  entityKind: 'Component' | 'Resource';
  type: string;
  /** Slugs this service depends on: a change to one of them can break this service. */
  dependsOn: string[];
  /** Main language of the repository, for the template library and syntax hints. */
  language?: 'typescript' | 'go' | 'kotlin' | 'java' | 'python' | 'hcl';
}

export interface SeedPerson {
  handle: string;
  name: string;
  email: string | null;
  /** 4..10, null for bots. */
  level: number | null;
  role: 'engineer' | 'senior' | 'director' | 'vp' | 'admin';
  team: string | null;
  isBot: boolean;
  githubLogin: string | null;
  /** Job title shown next to the name. */
  title?: string;
}

export interface SeedIncident {
  externalId: string;
  title: string;
  severity: 1 | 2 | 3 | 4;
  startedAt: Date;
  resolvedAt: Date | null;
  services: string[];
  lostOrders: number | null;
  ordersDropPct: number | null;
  impact: string;
  summary: string;
  lessons: string;
  causeChangeExternalId: string | null;
}

export interface SeedWatchout {
  author: string;
  scope: 'service' | 'path' | 'config_key';
  service: string | null;
  pattern: string | null;
  text: string;
  createdAt: Date;
}

export interface SeedRevision { diff: string; terraformPlan: unknown | null; createdAt: Date }

export interface SeedApproval {
  person: string;
  decision: 'approve' | 'reject';
  comment: string;
  at: Date;
  /** 0-based index into the change's revisions. */
  revision: number;
}

export interface SeedDeployment {
  environment: string;
  status: 'succeeded' | 'failed' | 'rolled_back';
  at: Date;
  by: string;
  /** false = deployed without an allowing gate decision: a bypass. */
  viaGate: boolean;
}

export type AiLevel = 'none' | 'assisted' | 'generated' | 'agent';
export type ChangeKind = 'code' | 'config' | 'infra' | 'schema';

export interface SeedChange {
  externalId: string;
  repo: string;
  title: string;
  description: string;
  author: string;
  coAuthors: string[];
  services: string[];
  kind: ChangeKind;
  ai: { level: AiLevel; tool: string | null };
  environment: string;
  preDeploy: boolean | null;
  createdAt: Date;
  revisions: SeedRevision[];
  approvals: SeedApproval[];
  deployments: SeedDeployment[];
  status: 'pending' | 'approved' | 'rejected' | 'deployed' | 'rolled_back';
}

/** The output of `terraform show -json <planfile>`, reduced to what the seed emits. */
export interface TerraformPlanJson {
  format_version: string;
  terraform_version: string;
  resource_changes: {
    address: string;
    module_address?: string;
    mode: 'managed' | 'data';
    type: string;
    name: string;
    index?: number | string;
    provider_name: string;
    change: {
      actions: ('no-op' | 'create' | 'read' | 'update' | 'delete')[];
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      replace_paths?: string[][];
    };
    action_reason?: string;
  }[];
}

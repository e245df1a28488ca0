// Shapes shared by the risk engine, the database (jsonb columns) and the UI.
import type { AiLevel, ChangeKind, FileStatus, RiskLevel, Tier } from '@/db/schema/enums';

/** One explained contribution to a change's risk score. */
export interface RiskFactor {
  key: RiskFactorKey;
  points: number;
  /** One sentence a reviewer can check against the diff or the catalog. */
  evidence: string;
}

export type RiskFactorKey =
  | 'ai_involvement'
  | 'tier'
  | 'blast_radius'
  | 'change_kind'
  | 'destructive'
  | 'size'
  | 'diffusion'
  | 'incident_history'
  | 'no_predeploy_validation'
  | 'tests_untouched'
  | 'author_experience'
  /** The diff analysis ran out of its time budget: scored at the maximum, fail-closed. */
  | 'analysis_incomplete';

export interface RiskResult {
  score: number; // 0..100
  level: RiskLevel;
  factors: RiskFactor[]; // highest points first
  destructive: boolean;
  /** What the destructive factor saw, most severe first. */
  findings?: RiskFinding[];
}

/** A flag on one diff line: why a reviewer should look at it. */
export interface LineFlag {
  key: string; // e.g. 'sql_drop', 'rm_rf', 'removed_guard', 'lowered_limit'
  severity: 'destructive' | 'risky';
  message: string;
}

export interface DiffLine {
  type: 'add' | 'del' | 'context';
  content: string; // without the leading +/-/space
  oldNo?: number;
  newNo?: number;
  flags?: LineFlag[];
  /** The diff said "\ No newline at end of file" right after this line. */
  noNewlineAtEof?: boolean;
}

export interface DiffHunk {
  header: string; // "@@ -1,4 +1,5 @@ fn name"
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export interface DiffFile {
  path: string; // new path (old path for deletions)
  oldPath: string | null; // set for renames
  status: FileStatus;
  binary: boolean;
  additions: number;
  deletions: number;
  language: string | null; // for syntax highlighting, from the extension
  hunks: DiffHunk[];
  /** Rename/copy similarity in percent, when git reported it. */
  similarity?: number;
  /** Whole-file flags (e.g. the file is deleted); line flags live on the lines. */
  flags?: LineFlag[];
}

/** A destructive or risky thing found in a diff or a plan: the evidence behind the `destructive` factor. */
export interface RiskFinding {
  key: string; // same vocabulary as LineFlag.key, plus 'tf_delete', 'tf_replace', 'deleted_file'
  severity: LineFlag['severity'];
  message: string;
  /** File path, or the resource address for Terraform plan findings. */
  path: string;
  /** New-side line number (old-side for deleted lines). */
  line?: number;
}

export type TerraformAction = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op';

export interface TerraformResourceChange {
  address: string; // aws_ecs_cluster.prod
  type: string;
  name: string;
  actions: TerraformAction[]; // as given by terraform; replace = ['delete','create'] or ['create','delete']
  action: TerraformAction; // summarised
  destructive: boolean; // delete or replace
}

export interface TerraformPlanSummary {
  formatVersion: string | null;
  resources: TerraformResourceChange[];
  counts: Record<TerraformAction, number>;
}

/** A service as the risk engine and the blast radius see it. */
export interface GraphService {
  id: number;
  slug: string;
  tier: Tier;
  team: string | null;
}

export interface BlastRadiusEntry {
  slug: string;
  tier: Tier;
  depth: number; // 1 = depends directly on a changed service
  path: string[]; // from the changed service to this one, slugs
}

export interface BlastRadius {
  services: BlastRadiusEntry[];
  total: number;
  tier1: number;
}

/** Everything the pure scorer needs; no I/O happens inside the engine. */
export interface RiskInput {
  kind: ChangeKind;
  aiLevel: AiLevel;
  aiTool: string | null;
  environment: string;
  preDeployValidation: boolean | null;
  files: DiffFile[];
  plan: TerraformPlanSummary | null;
  services: GraphService[]; // touched services
  blastRadius: BlastRadius;
  /** Incidents in the last 90 days on touched services (and files, when known). */
  recentIncidents: { severity: number; serviceSlugs: string[]; title: string; startedAt: Date; causedByPaths?: string[] }[];
  /** How many earlier changes this author shipped on the touched services. */
  authorPriorChanges: number;
  authorIsBot: boolean;
  /** Findings already computed by detectDestructive (saves a second pass); computed when absent. */
  findings?: RiskFinding[];
  /** Reference time for the incident window; when absent, recentIncidents are taken as already filtered. */
  now?: Date;
}

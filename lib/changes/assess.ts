// A change's assessment — risk, blast radius and required sign-off — from its content
// and context. Pure: the submission path, the re-scorer and the seed all use it.
import type { AiLevel, ChangeKind, RiskLevel, Tier } from '@/db/schema/enums';
import { computeBlastRadius, type ServiceGraph } from '@/lib/graph/blast-radius';
import { requiredApprovals, type ApprovalPolicy, type Requirement } from '@/lib/policy/approvals';
import { scoreChange } from '@/lib/risk';
import type { BlastRadius, DiffFile, GraphService, RiskInput, RiskResult, TerraformPlanSummary } from '@/lib/risk/types';

export interface AssessInput {
  kind: ChangeKind;
  aiLevel: AiLevel;
  aiTool: string | null;
  environment: string;
  preDeployValidation: boolean | null;
  files: DiffFile[];
  plan: TerraformPlanSummary | null;
  touched: GraphService[];
  graph: ServiceGraph;
  recentIncidents: RiskInput['recentIncidents'];
  authorPriorChanges: number;
  authorIsBot: boolean;
  policy: ApprovalPolicy;
  /** Time budget (ms) for the diff detectors; when it runs out the risk is the maximum (fail closed). */
  budgetMs?: number;
}

export interface Assessment {
  risk: RiskResult;
  blast: BlastRadius;
  requirement: Requirement;
  topTier: Tier;
}

/** The columns of `changes` an assessment sets: one mapping for submission, re-scoring, ingest errors and the seed. */
export function assessmentColumns(a: Assessment) {
  return {
    riskScore: a.risk.score,
    riskLevel: a.risk.level as RiskLevel,
    riskFactors: a.risk.factors,
    destructive: a.risk.destructive,
    blastRadius: a.blast,
    blastTotal: a.blast.total,
    blastTier1: a.blast.tier1,
    topTier: a.topTier,
  };
}

export function assessChange(a: AssessInput): Assessment {
  const blast = computeBlastRadius(a.graph, a.touched.map((s) => s.id));
  const topTier = (a.touched.length ? Math.min(...a.touched.map((s) => s.tier)) : 3) as Tier;
  const risk = scoreChange({
    kind: a.kind,
    aiLevel: a.aiLevel,
    aiTool: a.aiTool,
    environment: a.environment,
    preDeployValidation: a.preDeployValidation,
    files: a.files,
    plan: a.plan,
    services: a.touched,
    blastRadius: blast,
    recentIncidents: a.recentIncidents,
    authorPriorChanges: a.authorPriorChanges,
    authorIsBot: a.authorIsBot,
  }, { budgetMs: a.budgetMs });
  const nearestTier1 = blast.services.find((s) => s.tier === 1);
  const requirement = requiredApprovals(
    {
      environment: a.environment,
      topTier,
      nearestTier1Depth: nearestTier1 ? nearestTier1.depth : null,
      riskLevel: risk.level as RiskLevel,
      destructive: risk.destructive,
      aiLevel: a.aiLevel,
      authorIsBot: a.authorIsBot,
      preDeployValidation: a.preDeployValidation,
    },
    a.policy,
  );
  return { risk, blast, requirement, topTier };
}

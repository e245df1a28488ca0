// Builds RiskInputs for the risk tests: a neutral baseline that scores zero, overridden per test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphService, RiskInput } from '@/lib/risk/types';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');

export function readDiffFixture(name: string): string {
  return readFileSync(path.join(FIXTURES, 'diffs', name), 'utf8');
}

export function readPlanFixture(name: string): string {
  return readFileSync(path.join(FIXTURES, 'plans', name), 'utf8');
}

export function service(slug: string, tier: 1 | 2 | 3, id = slug.length * 1000 + slug.charCodeAt(0)): GraphService {
  return { id, slug, tier, team: 'team' };
}

/** A human veteran's small, validated, non-production change with no context: every factor is zero. */
export function riskInput(overrides: Partial<RiskInput> = {}): RiskInput {
  return {
    kind: 'code',
    aiLevel: 'none',
    aiTool: null,
    environment: 'staging',
    preDeployValidation: true,
    files: [],
    plan: null,
    services: [],
    blastRadius: { services: [], total: 0, tier1: 0 },
    recentIncidents: [],
    authorPriorChanges: 50,
    authorIsBot: false,
    ...overrides,
  };
}

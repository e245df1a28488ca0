// The three changes behind the story incidents, emitted by the history on their days
// with the attributes the post-incident reviews describe.
import { STORY } from '../data/incidents';
import type { SeedChange } from '../types';
import { utc } from './random';
import { costExplorerRecreate, deliveryPromiseCalendar, globalTimeoutPush } from './story';

export function storyChangesOn(day: number): SeedChange[] {
  if (day === STORY.costExplorer.day && STORY.costExplorer.causeChange) {
    const { diff, plan } = costExplorerRecreate();
    return [{
      externalId: STORY.costExplorer.causeChange,
      repo: 'acme/cost-explorer',
      title: 'Recreate cost-explorer environment to resolve Terraform drift',
      description: [
        '## Summary',
        'The production environment has drifted from Terraform: the ECS capacity provider was renamed in the console and the security group of the reports database was edited by hand. `terraform plan` shows 7 unmanaged differences.',
        '',
        'Rather than patch each difference, this change renames the environment resources to the `-prod` naming standard and recreates them from code, which guarantees the environment matches Terraform exactly.',
        '',
        '## Plan',
        '4 to add, 0 to change, 3 to destroy. Validated with `terraform validate` and `tflint`: no errors.',
        '',
        '🤖 Opened by Kiro on behalf of @dalvarez.',
      ].join('\n'),
      author: 'kiro-agent[bot]',
      coAuthors: ['dalvarez'],
      services: ['cost-explorer'],
      kind: 'infra',
      ai: { level: 'agent', tool: 'Kiro' },
      environment: 'production',
      preDeploy: true,
      createdAt: utc(2025, 12, 10, 10, 2),
      revisions: [{ diff, terraformPlan: plan, createdAt: utc(2025, 12, 10, 10, 2) }],
      approvals: [{ person: 'hberg', decision: 'approve', comment: 'LGTM, plan is clean', at: utc(2025, 12, 10, 10, 5), revision: 0 }],
      deployments: [{ environment: 'production', status: 'succeeded', at: utc(2025, 12, 10, 10, 14), by: 'dalvarez', viaGate: false }],
      status: 'deployed',
    }];
  }
  if (day === STORY.deliveryPromise.day && STORY.deliveryPromise.causeChange) {
    return [{
      externalId: STORY.deliveryPromise.causeChange,
      repo: 'acme/delivery-promise',
      title: 'delivery-promise: simplify earliest-delivery calculation with business-day helper',
      description: [
        'The carrier-calendar loop in `DeliveryCalendar.earliestDelivery` is hard to follow and shows up in the flame graphs (~9% of CPU at peak).',
        '',
        'Replaces it with a `plusBusinessDays` helper, suggested by Copilot, and updates the golden-date tests to the new helper\'s results. p99 of `/promise` drops from 38 ms to 21 ms in the staging load test.',
        '',
        'AI assistance: assisted (GitHub Copilot).',
      ].join('\n'),
      author: 'jpark',
      coAuthors: [],
      services: ['delivery-promise'],
      kind: 'code',
      ai: { level: 'assisted', tool: 'GitHub Copilot' },
      environment: 'production',
      preDeploy: true,
      createdAt: utc(2026, 3, 2, 7, 48),
      revisions: [{ diff: deliveryPromiseCalendar(), terraformPlan: null, createdAt: utc(2026, 3, 2, 7, 48) }],
      approvals: [
        { person: 'cdubois', decision: 'approve', comment: 'Much easier to read. Tests green. LGTM.', at: utc(2026, 3, 2, 8, 31), revision: 0 },
        { person: 'omartin', decision: 'approve', comment: 'Nice perf win. Approved.', at: utc(2026, 3, 2, 8, 52), revision: 0 },
      ],
      deployments: [
        { environment: 'staging', status: 'succeeded', at: utc(2026, 3, 2, 8, 58), by: 'jpark', viaGate: true },
        { environment: 'production', status: 'succeeded', at: utc(2026, 3, 2, 9, 20), by: 'jpark', viaGate: true },
        { environment: 'production', status: 'rolled_back', at: utc(2026, 3, 2, 18, 25), by: 'cdubois', viaGate: true },
      ],
      status: 'rolled_back',
    }];
  }
  if (day === STORY.configPush.day && STORY.configPush.causeChange) {
    return [{
      externalId: STORY.configPush.causeChange,
      repo: 'acme/config-service',
      title: 'config-service: move global HTTP timeouts to duration strings',
      description: [
        'Integer milliseconds keep causing unit mistakes (a 2-second timeout written as `2`). Moves the global HTTP timeouts to duration strings (`2s`, `500ms`), which configlib parses natively.',
        '',
        'Pushing to all rings directly: same values, only the format changes. Pre-deploy validation skipped — `validate-global` has been failing on an unrelated flaky check all week.',
      ].join('\n'),
      author: 'ebrandt',
      coAuthors: [],
      services: ['config-service'],
      kind: 'config',
      ai: { level: 'none', tool: null },
      environment: 'production',
      preDeploy: false,
      createdAt: utc(2026, 3, 5, 13, 51),
      revisions: [{ diff: globalTimeoutPush(), terraformPlan: null, createdAt: utc(2026, 3, 5, 13, 51) }],
      approvals: [],
      deployments: [
        { environment: 'production', status: 'succeeded', at: utc(2026, 3, 5, 14, 2), by: 'ebrandt', viaGate: false },
        { environment: 'production', status: 'rolled_back', at: utc(2026, 3, 5, 14, 41), by: 'dkowalski', viaGate: true },
      ],
      status: 'rolled_back',
    }];
  }
  return [];
}

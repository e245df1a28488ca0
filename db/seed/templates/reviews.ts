// The words reviewers and tools leave behind: approval and rejection comments, AI tool names.
import type { Draft } from './kit';
import type { Rng } from './random';

export const ASSISTED_TOOLS: [string, number][] = [['GitHub Copilot', 45], ['Cursor', 25], ['Claude Code', 15], ['Amazon Q Developer', 15]];
export const GENERATED_TOOLS: [string, number][] = [['Claude Code', 35], ['Cursor', 30], ['GitHub Copilot', 20], ['ChatGPT', 15]];

const APPROVE = [
  'LGTM.',
  'Looks good. Watch the p99 panel for ten minutes after it goes out.',
  'Approved. Please roll out to eu-west-1 first.',
  'Good catch. Ship it.',
  'Approving. We should add an alert on this in a follow-up.',
  'Fine. Please post in #deploys when it is out.',
];
const APPROVE_BY_KIND: Record<Draft['kind'], string[]> = {
  code: ['LGTM, thanks for adding the test.', 'Makes sense. Nit: the comment could say why, not what. Not blocking.', 'Reviewed the callers too, nothing else depends on the old behaviour.', 'OK for production; the fallback path still covers us if it misbehaves.'],
  config: ['Value checked against last week\'s dashboards; fine.', 'OK. Keep an eye on the error-rate board for two refresh cycles.', 'Matches what we agreed in the capacity review.'],
  infra: ['Checked the plan: in-place update only. Approved.', 'Plan reviewed; nothing stateful touched.', 'Read through it with the runbook open; fine by me.'],
  schema: ['Migration is online-safe. Approved.', 'Checked it against the 900M-row table on the replica: no rewrite, no long lock.', 'Expand step only; fine.'],
};

const RUBBER = ['LGTM', 'lgtm 👍', 'Approved', '👍', 'ship it'];

const REJECT_BY_TRAIT = {
  destructive: [
    'This destroys state. Use a moved {} block or do it in two steps; not approving a replace of a stateful resource.',
    'DROP/DELETE without a way back. Take a snapshot first and show me the restore works.',
  ],
  removesGuard: [
    'That check is the only thing stopping a bad record from reaching the customer. Keep it, or replace it with an alert.',
    'Lowering this removes our safety margin. Show me the p99 data first.',
  ],
  untested: ['Please add a test for the failure path before this goes out.', 'No test covers this branch. Add one and I will approve.'],
  config: ['Roll this to the canary ring first, not everywhere at once.', 'Needs a pre-deploy validation run; it was skipped.'],
  generic: ['Can we split this into two changes? Too much in one review.', 'The description does not match the diff; please update it.'],
};

export function approveComment(rng: Rng, rubberStamp: boolean, d: Draft): string {
  if (rubberStamp) return rng.pick(RUBBER);
  return rng.chance(0.5) ? rng.pick(APPROVE) : rng.pick(APPROVE_BY_KIND[d.kind]);
}

export function rejectComment(rng: Rng, d: Draft): string {
  if (d.traits.destructive) return rng.pick(REJECT_BY_TRAIT.destructive);
  if (d.traits.removesGuard) return rng.pick(REJECT_BY_TRAIT.removesGuard);
  if (d.kind === 'config') return rng.pick(REJECT_BY_TRAIT.config);
  if (d.kind === 'code' && !d.traits.testsTouched) return rng.pick(REJECT_BY_TRAIT.untested);
  return rng.pick(REJECT_BY_TRAIT.generic);
}

// Post-incident review prose for the generated (minor) incidents.
import type { SeedService } from '../types';
import type { Draft } from './kit';
import type { Rng } from './random';

const SYMPTOMS: Record<string, string[]> = {
  cart: ['add-to-cart errors for some customers', 'stale prices shown in the basket', 'baskets emptied on sign-in'],
  checkout: ['elevated checkout failures', 'slow order confirmation pages', 'duplicate order confirmation e-mails'],
  payments: ['card authorisation timeouts', 'failed captures queued for retry', 'wallet payments declined'],
  pricing: ['wrong multi-buy prices on some SKUs', 'price lookups timing out'],
  search: ['empty search results for some queries', 'slow autocomplete'],
  catalog: ['products missing from category pages', 'stale product attributes'],
  inventory: ['items shown out of stock while available', 'reservation timeouts at checkout'],
  'delivery-promise': ['missing delivery dates on product pages', 'delivery dates a day too late'],
  'order-pipeline': ['orders stuck in "placed"', 'delayed hand-off to the warehouse'],
  identity: ['sign-in failures on the app', 'customers logged out unexpectedly'],
  'edge-router': ['intermittent 502s at the edge', 'rate-limited API clients'],
  'config-service': ['services failing to refresh config', 'config reads timing out'],
};
const GENERIC = ['elevated 5xx errors', 'latency above SLO', 'a failing background job', 'errors in a downstream consumer'];

function hhmm(d: Date): string {
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

export function incidentText(rng: Rng, svc: SeedService, change: { externalId: string; title: string }, d: Draft, at: { start: Date; end: Date; rolledBack: boolean }, aiLevel: string) {
  const symptom = rng.pick(SYMPTOMS[svc.slug] ?? GENERIC);
  const detection = rng.pick(['An SLO burn-rate alert paged on-call', 'Customer services escalated a spike in contacts', 'The synthetic checks failed', 'A downstream team noticed their error rate climbing']);
  const title = `${svc.name}: ${symptom}`;
  const summary = [
    `From ${hhmm(at.start)} UTC ${svc.name} showed ${symptom}, starting shortly after ${change.externalId} ("${change.title}") reached production. ${detection}.`,
    at.rolledBack ? `The change was rolled back and the service recovered by ${hhmm(at.end)}.` : `A fix-forward was deployed and the service recovered by ${hhmm(at.end)}.`,
  ].join(' ');
  const lessons: string[] = [];
  if (d.traits.destructive) lessons.push('- The change deleted or replaced something with state; destructive operations need a second reviewer who reads the plan or the SQL, not just the diff.');
  if (d.traits.removesGuard) lessons.push('- A safety margin (a check, a timeout, a limit) was removed without a replacement alert. Removing a guard is a risky change, whatever its size.');
  if (d.kind === 'config') lessons.push('- Config applies everywhere at once: roll it out ring by ring and validate before it reaches production.');
  if (d.kind === 'infra') lessons.push('- Infrastructure changes need the plan reviewed, and a rollback path written down before apply.');
  if (d.kind === 'code' && !d.traits.testsTouched) lessons.push('- No test covered the changed path; a regression test is now in place.');
  if (aiLevel !== 'none') lessons.push('- The change was written with AI assistance; the reviewer focused on style rather than behaviour. Review AI-written changes for what they do, not how they read.');
  if (svc.tier === 1) lessons.push('- Tier-1: the owning team added the symptom to its SLO dashboard.');
  if (lessons.length === 0) lessons.push('- Detection took longer than it should; alerting was tightened.');
  return { title, summary, lessons: lessons.join('\n'), impact: symptom };
}

export function externalCauseText(rng: Rng, svc: SeedService) {
  const cause = rng.pick([
    { what: 'the carrier API returned errors for collection bookings', fix: 'Requests were queued and replayed when the carrier recovered.' },
    { what: 'one of the two card acquirers had elevated latency', fix: 'Traffic was shifted to the second acquirer.' },
    { what: 'an AWS availability zone in eu-west-1 had degraded networking', fix: 'Pods were drained from the affected zone.' },
    { what: 'a bot swarm scraped product pages at 40x normal rate', fix: 'The edge blocked the offending ASN.' },
  ]);
  return {
    title: `${svc.name}: degraded because ${cause.what}`,
    summary: `No change was involved: ${cause.what}. ${cause.fix}`,
    lessons: '- External dependencies fail; the fallback worked but paging took too long. Alert thresholds were reviewed.',
    impact: `${cause.what.charAt(0).toUpperCase()}${cause.what.slice(1)}; no change involved.`,
  };
}

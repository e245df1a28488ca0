// How the audit timeline groups and words its events: a kind per action (the filter
// leaders use: "bypasses", "break-glass", "sign-ins"), and a one-line summary of the payload.
import { AUDIT_ACTIONS } from '@/lib/audit/actions';
import { describeAiDetectionChange, type AiDetectionDiffEntry } from '@/lib/github/ai-detection-schema';
import { describeDiffEntry } from '@/lib/policy/fields';

export const AUDIT_KINDS = {
  change: { label: 'Changes', match: ['change.', 'external_review.'] },
  approval: { label: 'Approvals', match: ['approval.'] },
  gate: { label: 'Gate decisions', match: ['gate.'] },
  deployment: { label: 'Deployments', match: ['deployment.recorded'] },
  bypass: { label: 'Bypasses', match: ['deployment.bypassed'] },
  break_glass: { label: 'Break-glass', match: ['break_glass.'] },
  incident: { label: 'Incidents', match: ['incident.'] },
  watchout: { label: 'Watch-outs', match: ['watchout.'] },
  token: { label: 'API tokens', match: ['token.'] },
  policy: { label: 'Policy', match: ['policy.'] },
  settings: { label: 'Settings', match: ['settings.'] },
  catalog: { label: 'Catalog', match: ['catalog.', 'path_mapping.'] },
  people: { label: 'People', match: ['person.'] },
  report: { label: 'Report attestations', match: ['report.'] },
  sign_in: { label: 'Sign-ins', match: ['auth.'] },
  system: { label: 'System', match: ['seed.'] },
} as const satisfies Record<string, { label: string; match: readonly string[] }>;

export type AuditKind = keyof typeof AUDIT_KINDS;
export const AUDIT_KIND_NAMES = Object.keys(AUDIT_KINDS) as AuditKind[];

/** A pattern ending in "." is a prefix; anything else is one exact action. */
export function actionMatches(action: string, pattern: string): boolean {
  return pattern.endsWith('.') ? action.startsWith(pattern) : action === pattern;
}

export function kindOf(action: string): AuditKind | 'other' {
  for (const k of AUDIT_KIND_NAMES) if (AUDIT_KINDS[k].match.some((p) => actionMatches(action, p))) return k;
  return 'other';
}

/** "approved", "deployed without an allowing gate decision" … or the action itself when unknown. */
export function actionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}

/** Events shown in red: a leader must look at them. */
export function alarmOf(action: string, payload: Record<string, unknown>): 'bypass' | 'break_glass' | 'blocked' | 'rejected' | null {
  if (action === 'deployment.bypassed' || payload.bypass === true) return 'bypass';
  if (action === 'break_glass.opened') return 'break_glass';
  if (action === 'approval.rejected') return 'rejected';
  if (action === 'gate.decided' && payload.allowed === false) return 'blocked';
  return null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

/** One line that says what happened, from the event's payload. */
export function summarizeAudit(action: string, payload: Record<string, unknown>): string {
  const p = payload;
  const bits: string[] = [];
  const push = (v: string | null | undefined | false) => {
    if (v) bits.push(v);
  };
  switch (kindOf(action)) {
    case 'change': {
      const risk = p.risk as { score?: number; level?: string } | undefined;
      const ai = p.ai as { level?: string; tool?: string | null } | undefined;
      const rev = p.revision as { number?: number } | number | undefined;
      push(typeof rev === 'object' && rev?.number ? `revision ${rev.number}` : null);
      push(risk?.score !== undefined ? `risk ${risk.score} ${risk.level ?? ''}`.trim() : null);
      push(str(p.kind));
      push(ai?.level && ai.level !== 'none' ? `AI ${ai.level}${ai.tool ? ` (${ai.tool})` : ''}` : null);
      push(str(p.environment));
      push(str(p.reason));
      push(str(p.state));
      break;
    }
    case 'approval':
      push(typeof p.revision === 'number' ? `revision ${p.revision}` : null);
      push(str(p.comment) ? `“${str(p.comment)!.slice(0, 140)}”` : null);
      break;
    case 'gate': {
      const reasons = Array.isArray(p.reasons) ? (p.reasons as unknown[]).map(String) : [];
      const appr = p.approvals as { required?: number; valid?: number } | undefined;
      push(p.allowed === true ? 'allowed' : p.allowed === false ? 'blocked' : null);
      push(reasons.length ? reasons.join(', ') : null);
      push(appr && appr.required !== undefined ? `${appr.valid ?? 0} of ${appr.required} approvals` : null);
      push(str(p.environment));
      break;
    }
    case 'deployment':
    case 'bypass':
      push(str(p.environment));
      push(str(p.status));
      push(str(p.source));
      push(action === 'deployment.bypassed' || p.bypass === true ? 'no allowing gate decision' : null);
      break;
    case 'break_glass':
      push(str(p.justification) ? `“${str(p.justification)!.slice(0, 140)}”` : null);
      push(typeof p.hours === 'number' ? `${p.hours} h` : null);
      push(str(p.incidentRef));
      break;
    case 'incident':
      push(typeof p.severity === 'number' ? `SEV-${p.severity}` : null);
      push(str(p.externalId));
      push(str(p.title));
      break;
    case 'token':
      push(str(p.name));
      push(Array.isArray(p.scopes) ? (p.scopes as unknown[]).join(' ') : null);
      push(str(p.person));
      break;
    case 'watchout':
      push(str(p.scope));
      push(str(p.service) ?? str(p.pattern));
      break;
    case 'report':
      push(str(p.isoWeek));
      push(str(p.note) ? `“${str(p.note)}”` : null);
      break;
    case 'policy': {
      const fields = (Array.isArray(p.fields) ? (p.fields as unknown[]) : []).filter((f): f is { path: string; label?: string; from: unknown; to: unknown } => !!f && typeof (f as { path?: unknown }).path === 'string');
      for (const f of fields.slice(0, 6)) push(describeDiffEntry(f));
      push(fields.length > 6 ? `and ${fields.length - 6} more` : null);
      const reweighed = (p.reweighed as { count?: unknown } | undefined)?.count;
      push(typeof reweighed === 'number' && reweighed > 0 ? `${reweighed} open change${reweighed === 1 ? '' : 's'} re-weighed` : null);
      break;
    }
    case 'settings': {
      const changes = (Array.isArray(p.changes) ? (p.changes as unknown[]) : []).filter((c): c is AiDetectionDiffEntry => !!c && typeof (c as { key?: unknown }).key === 'string');
      for (const c of changes.slice(0, 6)) push(describeAiDetectionChange(c));
      push(changes.length > 6 ? `and ${changes.length - 6} more` : null);
      break;
    }
    case 'catalog':
      for (const k of ['added', 'changed', 'removed'] as const) push(typeof p[k] === 'number' ? `${p[k]} ${k}` : null);
      push(str(p.repo));
      break;
    default:
      for (const [k, v] of Object.entries(p).slice(0, 4)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') push(`${k}: ${v}`);
  }
  return bits.join(' · ');
}

// Who records incidents and links them to their cause: people who run incidents, not everyone
// who can submit a change (a link changes the risk of other people's changes).
import type { Role } from '@/db/schema/enums';

export const INCIDENT_WRITER_ROLES: readonly Role[] = ['senior', 'director', 'vp', 'admin'];

export function canRecordIncidents(role: Role): boolean {
  return INCIDENT_WRITER_ROLES.includes(role);
}

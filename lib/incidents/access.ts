// Who records incidents and links them to their cause: people who run incidents, not everyone
// who can submit a change (a link changes the risk of other people's changes).
import type { Role } from '@/db/schema/enums';
import { getEnv } from '@/lib/env';

export const INCIDENT_WRITER_ROLES: readonly Role[] = ['senior', 'director', 'vp', 'admin'];

export function canRecordIncidents(role: Role): boolean {
  return INCIDENT_WRITER_ROLES.includes(role);
}

/** Who is editing an incident: their role and team. */
export interface IncidentEditor {
  role: Role;
  team: string | null;
}

/** Teams that may edit any incident (site reliability), from INCIDENT_SRE_TEAMS (comma-separated slugs). */
export function sreTeams(list: string = getEnv().INCIDENT_SRE_TEAMS): string[] {
  return list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * An existing incident moves the risk of every change on its services, so only its owning teams
 * (the teams of its services), the SRE teams, or an administrator may change it. An incident on
 * services no team owns stays open to every incident writer.
 */
export function canEditIncident(editor: IncidentEditor, owningTeams: readonly string[], sre: readonly string[]): boolean {
  if (editor.role === 'admin') return true;
  // Services no team owns (not yet in the catalog's ownership): there is no owner to defer to.
  if (owningTeams.length === 0) return canRecordIncidents(editor.role);
  if (!editor.team) return false;
  return sre.includes(editor.team) || owningTeams.includes(editor.team);
}

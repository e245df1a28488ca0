// What each role may do. Tokens carry scopes; a signed-in person has the scopes of their role.
import type { Role, TokenScope } from '@/db/schema/enums';

const ROLE_SCOPES: Record<Role, readonly TokenScope[]> = {
  engineer: ['changes:write', 'gate:read', 'deployments:write'],
  senior: ['changes:write', 'gate:read', 'deployments:write', 'approve'],
  // attest: signing the weekly report; a signed-in director or VP has it, a token only when given it.
  director: ['changes:write', 'gate:read', 'deployments:write', 'approve', 'audit:read', 'attest'],
  vp: ['changes:write', 'gate:read', 'deployments:write', 'approve', 'audit:read', 'attest'],
  // Whoever manages tokens and the catalog does not also sign off changes (separation of duties).
  admin: ['changes:write', 'gate:read', 'deployments:write', 'audit:read', 'admin'],
};

export function scopesForRole(role: Role): readonly TokenScope[] {
  return ROLE_SCOPES[role];
}

/** Directors, VPs and admins audit production change activity. */
export function canAudit(role: Role): boolean {
  return role === 'director' || role === 'vp' || role === 'admin';
}

export function isAdmin(role: Role): boolean {
  return role === 'admin';
}

/** Break-glass overrides are opened by leadership only. */
export function canBreakGlass(role: Role): boolean {
  return role === 'director' || role === 'vp';
}

export const ROLE_LABELS: Record<Role, string> = {
  engineer: 'Engineer',
  senior: 'Senior engineer',
  director: 'Director',
  vp: 'VP',
  admin: 'Administrator',
};

/** The level a new person gets when none is given: the usual one for the role (as in the demo organisation). */
export const DEFAULT_LEVEL_BY_ROLE: Record<Role, number> = { engineer: 5, senior: 7, director: 9, vp: 10, admin: 8 };

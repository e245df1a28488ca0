// Which administrator actions wait for a second, different administrator (issue 10): pure rules, no IO.
import type { Role } from '@/db/schema/enums';
import { DEFAULT_LEVEL_BY_ROLE } from '@/lib/auth/roles';

/** Higher is more power: a move up this ladder is a raise. */
const ROLE_RANK: Record<Role, number> = { engineer: 0, senior: 1, director: 2, vp: 3, admin: 4 };

/** The level from which a person counts as senior (an approver). */
export const APPROVER_LEVEL = DEFAULT_LEVEL_BY_ROLE.senior;

/** A role or level raise: what makes someone's approval count, or count more. */
export function isRaise(before: { role: string; level: number | null }, patch: { role?: Role; level?: number | null }): boolean {
  if (patch.role !== undefined && ROLE_RANK[patch.role] > ROLE_RANK[before.role as Role]) return true;
  if (patch.level !== undefined && patch.level !== null && patch.level > (before.level ?? 0)) return true;
  return false;
}

/** A new account that could sign off (or administer): anything above an engineer below senior level. */
export function isApproverAccount(input: { role: Role; level?: number | null }): boolean {
  const level = input.level ?? DEFAULT_LEVEL_BY_ROLE[input.role];
  return input.role !== 'engineer' || level >= APPROVER_LEVEL;
}

/** A lower tier number is more critical (tier 1 is the most): a change to a larger number lowers it. */
export function isTierLowered(before: number | null | undefined, after: number | null | undefined): boolean {
  return before != null && after != null && after > before;
}

import type { Metadata } from 'next';
import { PeopleAdmin } from '@/components/admin/people-admin';
import { getDb } from '@/db';
import { listPeopleForAdmin, listTeamOptions } from '@/db/queries/admin';
import { requireRole } from '@/lib/auth/current';
import { getPolicy } from '@/lib/policy';

export const metadata: Metadata = { title: 'People and levels' };
export const dynamic = 'force-dynamic';

export default async function PeoplePage() {
  const { person } = await requireRole(['admin'], '/admin/people');
  const db = await getDb();
  const [people, teams, policy] = await Promise.all([listPeopleForAdmin(db), listTeamOptions(db), getPolicy(db)]);
  return <PeopleAdmin initial={people} teams={teams} me={person.handle} tier1MinLevel={policy.approvals.minLevelByTier[1]} approverRoles={policy.approvals.approverRoles} />;
}

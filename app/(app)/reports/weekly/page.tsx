import { redirect } from 'next/navigation';
import { requireSession } from '@/lib/auth/current';
import { isIsoWeek, lastCompleteWeek } from '@/lib/reports/iso-week';

export const dynamic = 'force-dynamic';

/** The last complete week (on Monday morning: the week just gone), or the week picked in the form. */
export default async function WeeklyReportIndex({ searchParams }: { searchParams: Promise<{ week?: string }> }) {
  await requireSession('/reports/weekly');
  const { week } = await searchParams;
  redirect(`/reports/weekly/${week && isIsoWeek(week) ? week : lastCompleteWeek(new Date()).id}`);
}

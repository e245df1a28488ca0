'use server';
// "Verify again": re-hash the whole audit chain now, for directors, VPs and admins.
import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { getChainStatus } from '@/lib/audit/chain-status';
import { requireRole } from '@/lib/auth/current';

export async function verifyChainFully(): Promise<void> {
  await requireRole(['director', 'vp', 'admin'], '/audit');
  await getChainStatus(await getDb(), { full: true });
  revalidatePath('/audit');
}

// Server start: open the database, make sure the schema is current, start background work.
import { getDbHandle } from '@/db';
import { migrateWithRoles } from '@/db/grants';
import { getEnv } from '@/lib/env';
import { startChainVerifier } from '@/lib/audit/chain-status';
import { startCheckpointWriter } from '@/lib/audit/checkpoints';
import { startCatalogListener } from '@/lib/graph/catalog';
import { startJobWorker } from '@/lib/jobs/start';

type Starter = () => Promise<void> | void;
const starters: Starter[] = [];

/** Background work (job worker, cache listeners) registers here to start with the server. */
export function onServerBoot(fn: Starter): void {
  starters.push(fn);
}

onServerBoot(startJobWorker);
onServerBoot(startCatalogListener);
onServerBoot(startChainVerifier);
onServerBoot(startCheckpointWriter);

export async function bootServer(): Promise<void> {
  try {
    const env = getEnv();
    const handle = await getDbHandle();
    await migrateWithRoles(handle, env.DATABASE_MIGRATION_URL);
    console.log(`[countersign] database ready (${handle.driver}${env.embedded ? ` in ${env.dataDir}` : ''})`);
    for (const start of starters) await start();
  } catch (err) {
    console.error(`[countersign] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
}


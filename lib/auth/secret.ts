// The server secret that keys session and CSRF hashes: SESSION_SECRET, or one generated
// once and kept in ./.data (embedded) or in the database (shared by every instance).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { settings } from '@/db/schema';
import { getEnv } from '@/lib/env';

let cached: string | undefined;

export async function getServerSecret(db: Queryable): Promise<string> {
  if (cached) return cached;
  const env = getEnv();
  if (env.SESSION_SECRET) return (cached = env.SESSION_SECRET);
  if (env.embedded) {
    const file = path.join(env.dataDir, 'session-secret');
    try {
      cached = fs.readFileSync(file, 'utf8').trim();
    } catch {
      fs.mkdirSync(env.dataDir, { recursive: true });
      cached = randomBytes(32).toString('base64url');
      fs.writeFileSync(file, `${cached}\n`, { mode: 0o600 });
    }
    return cached;
  }
  await db.insert(settings).values({ key: 'session_secret', value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, 'session_secret'));
  return (cached = String(row!.value));
}

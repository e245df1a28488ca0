// Resolving the people a submission names: by handle, or by their GitHub login.
import { inArray, or, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { people, type Person } from '@/db/schema';
import { unprocessable } from '@/lib/errors';

export async function resolvePeople(q: Queryable, handles: string[]): Promise<Map<string, Person>> {
  const wanted = [...new Set(handles)];
  if (!wanted.length) return new Map();
  const lower = wanted.map((h) => h.toLowerCase());
  const rows = await q
    .select()
    .from(people)
    .where(or(inArray(people.handle, wanted), inArray(sql`lower(${people.githubLogin})`, lower)));
  const out = new Map<string, Person>();
  for (const h of wanted) {
    const p = rows.find((r) => r.handle === h) ?? rows.find((r) => r.githubLogin?.toLowerCase() === h.toLowerCase());
    if (p) out.set(h, p);
  }
  const missing = wanted.filter((h) => !out.has(h));
  if (missing.length) {
    throw unprocessable('unknown_person', `Unknown ${missing.length === 1 ? 'person' : 'people'}: ${missing.join(', ')}. Add them on /admin or use their handle.`);
  }
  return out;
}

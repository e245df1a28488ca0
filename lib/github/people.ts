// GitHub accounts as Countersign people. Matched by GitHub login only (never by handle: a
// GitHub user called "admin" is not our admin). A login seen for the first time is added as
// an engineer at the lowest level (a bot when GitHub says so); an admin sets who they really are.
import { inArray, or, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/db/client';
import { people, type Person } from '@/db/schema';
import { appendAudit } from '@/lib/audit/chain';
import type { GithubUser } from './client';

const HANDLE_RE = /^[A-Za-z0-9][A-Za-z0-9._[\]-]*$/;

function isBotAccount(u: GithubUser): boolean {
  return u.type === 'Bot' || /\[bot\]$/i.test(u.login);
}

/** People by lower-cased GitHub login, creating those not known yet. */
export async function ensureGithubPeople(tx: Tx, users: readonly GithubUser[]): Promise<Map<string, Person>> {
  const wanted = new Map<string, GithubUser>();
  for (const u of users) if (u.login && HANDLE_RE.test(u.login)) wanted.set(u.login.toLowerCase(), u);
  const out = new Map<string, Person>();
  if (!wanted.size) return out;
  const known = await tx.select().from(people).where(inArray(sql`lower(${people.githubLogin})`, [...wanted.keys()]));
  for (const p of known) out.set(p.githubLogin!.toLowerCase(), p);
  for (const [lower, u] of wanted) {
    if (out.has(lower)) continue;
    const handle = await freeHandle(tx, u.login);
    const bot = isBotAccount(u);
    const [created] = await tx
      .insert(people)
      .values({ handle, name: u.login, githubLogin: u.login, isBot: bot, level: bot ? null : 4, role: 'engineer', title: bot ? 'Bot account (from GitHub)' : 'Contributor (from GitHub)' })
      .onConflictDoNothing()
      .returning();
    // Another delivery added them a moment ago.
    const person = created ?? (await tx.select().from(people).where(sql`lower(${people.githubLogin}) = ${lower}`))[0];
    if (!person) throw new Error(`could not add GitHub user ${u.login}`);
    if (created) {
      await appendAudit(tx, {
        actorId: null,
        actor: 'github',
        action: 'person.provisioned',
        subjectType: 'person',
        subjectId: created.id,
        payload: { handle, githubLogin: u.login, isBot: bot, level: created.level, role: created.role },
      });
    }
    out.set(lower, person);
  }
  return out;
}

async function freeHandle(q: Queryable, login: string): Promise<string> {
  const candidates = [login, `${login}.github`, ...[2, 3, 4, 5].map((n) => `${login}.github${n}`)];
  const taken = await q.select({ handle: people.handle }).from(people).where(or(...candidates.map((c) => sql`${people.handle} = ${c}`)));
  const free = candidates.find((c) => !taken.some((t) => t.handle === c));
  if (!free) throw new Error(`no free handle for GitHub user ${login}`);
  return free;
}

/** Known people named by commit trailers (Co-authored-by: Name <email>) by e-mail or GitHub noreply address. */
export async function peopleFromTrailers(q: Queryable, values: readonly string[]): Promise<Person[]> {
  const emails = new Set<string>();
  const logins = new Set<string>();
  for (const v of values) {
    const m = /<([^>]+)>/.exec(v);
    if (!m) continue;
    const email = m[1]!.trim().toLowerCase();
    emails.add(email);
    const noreply = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/.exec(email);
    if (noreply) logins.add(noreply[1]!);
  }
  if (!emails.size && !logins.size) return [];
  return q
    .select()
    .from(people)
    .where(
      or(
        emails.size ? inArray(sql`lower(${people.email})`, [...emails]) : undefined,
        logins.size ? inArray(sql`lower(${people.githubLogin})`, [...logins]) : undefined,
      ),
    );
}

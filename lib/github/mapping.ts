// Which services a pull request touches: its changed paths through the path mappings of its
// repository (CODEOWNERS-like: repo + glob → service; the most specific glob wins), and the
// catalog's `services.repo` (from the Backstage annotation github.com/project-slug) for the rest.
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { pathMappings, services } from '@/db/schema';
import { compilePathGlob, globBase } from '@/lib/glob/glob';

export interface PathRule {
  pathGlob: string;
  serviceSlug: string;
}

export interface ServiceMapping {
  services: string[];
  /** Changed paths that no rule or catalog repository claims. */
  unmappedPaths: string[];
  /** How each service was found, for the triage page and the logs. */
  reasons: Record<string, string>;
}

const never = () => false;

/** Literal characters before the first wildcard: `services/checkout/**` beats `**`. */
function specificity(glob: string): number {
  const base = globBase(glob);
  return base.length * 10 + glob.length;
}

export function mapPaths(paths: readonly string[], rules: readonly PathRule[], repoServices: readonly string[]): ServiceMapping {
  const compiled = rules.map((r) => ({ ...r, test: compilePathGlob(r.pathGlob) ?? never, weight: specificity(r.pathGlob) }));
  const found = new Map<string, string>();
  const unmappedPaths: string[] = [];
  for (const p of paths) {
    const hits = compiled.filter((r) => r.test(p));
    if (hits.length) {
      const best = Math.max(...hits.map((h) => h.weight));
      for (const h of hits.filter((x) => x.weight === best)) if (!found.has(h.serviceSlug)) found.set(h.serviceSlug, `${p} matches ${h.pathGlob}`);
    } else if (repoServices.length) {
      for (const s of repoServices) if (!found.has(s)) found.set(s, `the catalog names this repository for ${s}`);
    } else {
      unmappedPaths.push(p);
    }
  }
  // A change with no paths at all (e.g. a plan only) belongs to the repository's services.
  if (!paths.length) for (const s of repoServices) found.set(s, `the catalog names this repository for ${s}`);
  return { services: [...found.keys()].sort(), unmappedPaths, reasons: Object.fromEntries(found) };
}

export async function loadRepoRules(q: Queryable, repo: string): Promise<{ rules: PathRule[]; repoServices: string[] }> {
  const lower = repo.toLowerCase();
  const [rules, owned] = await Promise.all([
    q
      .select({ pathGlob: pathMappings.pathGlob, serviceSlug: services.slug })
      .from(pathMappings)
      .innerJoin(services, eq(services.id, pathMappings.serviceId))
      .where(sql`lower(${pathMappings.repo}) = ${lower}`),
    q.select({ slug: services.slug }).from(services).where(sql`lower(${services.repo}) = ${lower}`),
  ]);
  return { rules, repoServices: owned.map((s) => s.slug).sort() };
}

export async function mapRepoPaths(q: Queryable, repo: string | null, paths: readonly string[]): Promise<ServiceMapping> {
  if (!repo) return { services: [], unmappedPaths: [...paths], reasons: {} };
  const { rules, repoServices } = await loadRepoRules(q, repo);
  return mapPaths(paths, rules, repoServices);
}

/** The kind of a change, guessed from its paths when nobody declared it. */
export function inferKind(paths: readonly string[]): 'code' | 'config' | 'infra' | 'schema' {
  if (!paths.length) return 'code';
  const all = (re: RegExp) => paths.every((p) => re.test(p));
  const any = (re: RegExp) => paths.some((p) => re.test(p));
  if (any(/\.(tf|tfvars|hcl)$/i) || any(/(^|\/)(terraform|helm|charts|k8s|kubernetes|deploy|infra)\//i)) return 'infra';
  if (any(/(^|\/)(migrations?|db\/migrate|schema)\/.*\.sql$/i) || any(/\.sql$/i)) return 'schema';
  if (all(/(\.(ya?ml|json|toml|ini|properties|conf|env)$)|(^|\/)config\//i)) return 'config';
  return 'code';
}

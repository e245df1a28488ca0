// Path mappings (scope admin): which service a repository's paths belong to, CODEOWNERS-like.
// POST adds one and re-submits the repository's open unmapped changes with their services.
import { z } from 'zod';
import { apiRoute } from '@/lib/api/route';
import { globProblem } from '@/lib/glob/glob';
import { addPathMapping, listPathMappings } from '@/lib/github/triage';

export const dynamic = 'force-dynamic';

const Body = z.object({
  repo: z.string().trim().min(3).max(200).regex(/^[^/\s]+\/[^/\s]+$/, 'repo must look like org/repo'),
  pathGlob: z.string().trim().min(1).max(300).default('**').superRefine((p, ctx) => {
    const problem = globProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  service: z.string().trim().min(1).max(100),
});

export const GET = apiRoute({ scope: 'admin' }, async ({ db }) => ({ items: await listPathMappings(db), nextCursor: null }));

export const POST = apiRoute({ scope: 'admin', body: Body }, async ({ db, body, actor }) => {
  const r = await addPathMapping(db, body, { personId: actor.person.id, label: actor.label });
  return Response.json(r, { status: r.mapping.created ? 201 : 200 });
});

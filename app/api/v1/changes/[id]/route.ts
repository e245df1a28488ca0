import { z } from 'zod';
import { getChangeDetail, RevisionNotFoundError } from '@/db/queries/change-detail';
import { apiRoute } from '@/lib/api/route';
import { AppError, notFound } from '@/lib/errors';

export const dynamic = 'force-dynamic';

const DetailQuery = z.object({
  revision: z.coerce.number({ message: 'revision must be a revision number' }).int().min(1).max(1_000_000).optional(),
  blast: z.enum(['nearest', 'all'], { message: "blast must be 'nearest' (the default: the nearest 200 affected services) or 'all'" }).optional(),
});

/**
 * Everything the change page shows (DESIGN.md, API); `?revision=N` for an older revision, `?blast=all` to list
 * every affected service (by default the nearest 200; the counts are always exact). Id: numeric or external id.
 */
export const GET = apiRoute<undefined, z.output<typeof DetailQuery>, { id: string }>({ query: DetailQuery }, async ({ db, params, query }) => {
  try {
    const detail = await getChangeDetail(db, { ref: params.id, revision: query.revision, blast: query.blast });
    if (!detail) throw notFound(`Change ${params.id}`);
    return detail;
  } catch (err) {
    if (err instanceof RevisionNotFoundError) throw new AppError(404, 'revision_not_found', err.message);
    throw err;
  }
});

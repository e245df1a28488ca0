// The audit filters as one zod schema: the page's URL, the API's query string and the CSV
// export read the same parameters the same way.
import { z } from 'zod';
import { AI_LEVELS } from '@/db/schema/enums';
import { AUDIT_ACTION_NAMES } from '@/lib/audit/actions';
import { AUDIT_KIND_NAMES } from './audit-kinds';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
const empty = (v: unknown) => (v === '' ? undefined : v);

export const AuditFilterQuery = z
  .object({
    from: z.preprocess(empty, day.optional()),
    to: z.preprocess(empty, day.optional()),
    team: z.preprocess(empty, z.string().trim().max(100).optional()),
    service: z.preprocess(empty, z.string().trim().max(100).optional()),
    tier: z.preprocess(empty, z.coerce.number().int().min(1).max(3).optional()) as z.ZodType<1 | 2 | 3 | undefined>,
    actor: z.preprocess(empty, z.string().trim().max(200).optional()),
    action: z.preprocess(empty, z.enum(AUDIT_ACTION_NAMES as [string, ...string[]]).optional()),
    kind: z.preprocess(empty, z.enum(['all', ...AUDIT_KIND_NAMES] as [string, ...string[]]).optional()),
    ai: z.preprocess(empty, z.enum(AI_LEVELS).optional()),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'from must not be after to', path: ['from'] });

export type AuditFilterInput = Partial<z.infer<typeof AuditFilterQuery>>;

export const AuditListQuery = AuditFilterQuery.and(
  z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  }),
);

/** Only the parameters that are set, for links and query strings. */
export function auditFilterParams(f: Partial<Record<string, string | number | undefined>>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p;
}

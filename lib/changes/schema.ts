// The one input schema for a change submission: API, CLI and webhooks share it.
import { z } from 'zod';
import { AI_LEVELS, CHANGE_KINDS } from '@/db/schema/enums';
import { isNumericRef, MAX_CHANGE_REF_LENGTH } from './ref-syntax';
import { COMMIT_SHA_PATTERN } from '@/lib/policy/approvals';

/** Documented limits (README, "API limits"). */
export const LIMITS = {
  /** Whole request body of POST /api/v1/changes. */
  maxBodyBytes: 4 * 1024 * 1024,
  /** The unified diff text. */
  maxDiffBytes: 3 * 1024 * 1024,
  /** The Terraform plan JSON, serialised. */
  maxPlanBytes: 2 * 1024 * 1024,
  maxFiles: 2000,
  maxServices: 50,
};

const handle = z.string().trim().min(1).max(100);

/** Everything about a change but its content; ingestion paths that have no diff yet parse with it. */
export const SubmitChangeMeta = z.object({
  externalId: z
    .string()
    .trim()
    .min(1, 'externalId is required')
    .max(MAX_CHANGE_REF_LENGTH)
    .refine((v) => !isNumericRef(v), {
      message: 'externalId must not be only digits: a number always means a change id (use e.g. "org/repo#123")',
      params: { httpStatus: 400 },
    }),
  repo: z.string().trim().max(200).nullish(),
  title: z.string().trim().min(1, 'title is required').max(300),
  description: z.string().max(50_000).default(''),
  url: z.url({ protocol: /^https?$/, message: 'Must be an http(s) URL' }).max(2000).nullish(),
  author: handle,
  coAuthors: z.array(handle).max(20).default([]),
  services: z.array(z.string().trim().min(1).max(100)).max(LIMITS.maxServices).default([]),
  kind: z.enum(CHANGE_KINDS).default('code'),
  ai: z
    .object({ level: z.enum(AI_LEVELS), tool: z.string().trim().max(100).nullish() })
    .default({ level: 'none', tool: null }),
  environment: z.string().trim().min(1).max(50).default('production'),
  validation: z.object({ preDeploy: z.boolean().nullish() }).partial().nullish(),
});

const content = {
  diff: z.string().max(LIMITS.maxDiffBytes, `diff is larger than ${LIMITS.maxDiffBytes} bytes`).nullish(),
  terraformPlan: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
};
const hasContent = (v: { diff?: string | null; terraformPlan?: unknown }) => Boolean((v.diff && v.diff.trim().length > 0) || v.terraformPlan);
const NO_CONTENT = { message: 'Send a diff (unified text) and/or a terraformPlan (terraform show -json).', path: ['diff'] };

export const SubmitChangeInput = SubmitChangeMeta.extend(content).refine(hasContent, NO_CONTENT);

/**
 * The body of POST /api/v1/changes: a submission whose `author` may be left out — the caller is
 * then the author (the person who owns the API token, or the signed-in person).
 */
export const SubmitChangeBody = SubmitChangeMeta.extend({
  ...content,
  author: handle.optional(),
  /** The git commit this content is the head of: the gate allows deploying only that commit. */
  commit: z.string().trim().toLowerCase().regex(COMMIT_SHA_PATTERN, 'commit must be the full git sha of the revision’s head commit (40 hex characters)').nullish(),
}).refine(hasContent, NO_CONTENT);

export type SubmitChangeInput = z.input<typeof SubmitChangeInput>;
export type SubmitChange = z.output<typeof SubmitChangeInput>;
export type SubmitChangeBody = z.output<typeof SubmitChangeBody>;
export type SubmitChangeMetaOutput = z.output<typeof SubmitChangeMeta>;

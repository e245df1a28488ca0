// The one input schema for adding a watch-out: the change page's form and POST /api/v1/watchouts share it.
import { z } from 'zod';
import { globProblem } from '@/lib/glob/glob';
import { compileGlob } from './match';

const service = z.string().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a service slug such as checkout');
const text = z.string().trim().min(10, 'say what to watch out for in at least 10 characters').max(4000);
/** A change (id or external id) the watch-out was written from: recorded in the audit trail. */
const change = z.union([z.number().int().positive(), z.string().trim().min(1).max(200)]).optional();

const glob = z
  .string()
  .trim()
  .min(1, 'a path glob is required, e.g. infra/terraform/**')
  .max(300)
  .refine((p) => !/\s/.test(p), 'a path glob has no spaces')
  .refine((p) => /[A-Za-z0-9_]/.test(p), 'this glob would match every file: name a directory, file or extension')
  .superRefine((p, ctx) => {
    // Limits keep matching cheap and the pattern readable: wildcards, length, {a,b} alternatives.
    const problem = globProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .refine((p) => compileGlob(p) !== null, 'not a valid glob');

const configKey = z
  .string()
  .trim()
  .min(1, 'a config key is required, e.g. checkout.timeout_ms')
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a config key is letters, digits, dots, dashes and underscores, e.g. checkout.timeout_ms');

export const AddWatchoutInput = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('service'), service, text, change }),
  z.object({ scope: z.literal('path'), pattern: glob, service: service.optional(), text, change }),
  z.object({ scope: z.literal('config_key'), pattern: configKey, service: service.optional(), text, change }),
], { error: 'scope must be service, path or config_key' });

export type AddWatchoutInput = z.input<typeof AddWatchoutInput>;
export type AddWatchout = z.output<typeof AddWatchoutInput>;

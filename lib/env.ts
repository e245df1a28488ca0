// The environment, read and validated once; every other module asks here.
import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'DATABASE_URL must be a postgres:// or postgresql:// URL'),
  /** Owner role for migrations; DATABASE_URL is then the server's own, less privileged role. */
  DATABASE_MIGRATION_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'DATABASE_MIGRATION_URL must be a postgres:// or postgresql:// URL'),
  /** Signs audit checkpoints (HMAC-SHA256); never stored in the database. */
  AUDIT_SIGNING_KEY: z.string().min(32, 'AUDIT_SIGNING_KEY must be at least 32 characters').optional(),
  /** Earlier signing keys, comma-separated: their checkpoints still verify after a rotation. */
  AUDIT_PREVIOUS_KEYS: z.string().optional(),
  /** Where signed checkpoints of the audit chain are appended (outside the database). */
  AUDIT_CHECKPOINT_DIR: z.string().optional(),
  /** Seconds between automatic checkpoints (written only when the chain grew). */
  AUDIT_CHECKPOINT_INTERVAL: z.coerce.number().int().min(10).default(300),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  COUNTERSIGN_DEMO: z.enum(['0', '1', '']).optional(),
  /** Give the demo people the documented demo password on PostgreSQL too (never implied there). */
  COUNTERSIGN_DEMO_PASSWORDS: z.enum(['0', '1', '']).optional(),
  COUNTERSIGN_DATA_DIR: z.string().optional(),
  COUNTERSIGN_ROOT: z.string().optional(),
  GITHUB_WEBHOOK_SECRET: z.string().optional(),
  GITHUB_TOKEN: z.string().optional(),
  GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
});

export type Env = z.infer<typeof schema> & {
  dataDir: string;
  root: string;
  embedded: boolean;
  demo: boolean;
  demoPasswords: boolean;
};

let cached: Env | undefined;

export class EnvError extends Error {}

/** Parses process.env; throws EnvError with one readable line per problem. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const e = parsed.data;
  const embedded = !e.DATABASE_URL;
  cached = {
    ...e,
    dataDir: path.resolve(/*turbopackIgnore: true*/ e.COUNTERSIGN_DATA_DIR ?? '.data'),
    root: path.resolve(/*turbopackIgnore: true*/ e.COUNTERSIGN_ROOT ?? process.cwd()),
    embedded,
    // The embedded default always carries the demo organisation; PostgreSQL only when asked.
    demo: e.COUNTERSIGN_DEMO === '1' || (embedded && e.COUNTERSIGN_DEMO !== '0'),
    demoPasswords: e.COUNTERSIGN_DEMO_PASSWORDS === '1' || (embedded && e.COUNTERSIGN_DEMO_PASSWORDS !== '0'),
  };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

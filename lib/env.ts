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
  /** The demo seed's "today" (an ISO date-time), so tests and e2e see the same data on any day. */
  COUNTERSIGN_SEED_NOW: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || !Number.isNaN(Date.parse(v)), 'COUNTERSIGN_SEED_NOW must be an ISO date-time such as 2026-11-28T10:30:00Z'),
  COUNTERSIGN_ROOT: z.string().optional(),
  GITHUB_WEBHOOK_SECRET: z.string().optional(),
  GITHUB_TOKEN: z.string().optional(),
  GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  /** Time budget for analysing one submitted diff; past it the change is flagged "analysis incomplete" at maximum risk. */
  COUNTERSIGN_ANALYSIS_BUDGET_MS: z.coerce.number().int().min(1).max(60_000).optional(),
  /** GitHub App (issue 12): its id and private key (PEM text, or a path to it) mint installation tokens. */
  GITHUB_APP_ID: z.string().trim().regex(/^\d*$/, 'GITHUB_APP_ID is the numeric App id').optional(),
  GITHUB_APP_PRIVATE_KEY: z.string().optional(),
  GITHUB_APP_PRIVATE_KEY_PATH: z.string().optional(),
  /** `checks` (default): a check run per pull request head; `statuses`: commit statuses, for setups without checks. */
  GITHUB_STATUS_MODE: z.enum(['checks', 'statuses', '']).optional(),
  /** A deployment protection request not answered within this many minutes is rejected. */
  GITHUB_PROTECTION_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(30 * 24 * 60).default(60),
  /** Where people reach Countersign (links in GitHub's checks; the CLI's server too). Not a URL: no links. */
  COUNTERSIGN_URL: z.string().optional(),
  /** How many reverse proxies in front of the server append to X-Forwarded-For (lib/http/client-address.ts). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int('TRUSTED_PROXY_HOPS must be a whole number').min(0, 'TRUSTED_PROXY_HOPS must be 0 or more').max(10, 'TRUSTED_PROXY_HOPS must be at most 10').default(0),
  /** Comma-separated team slugs that may edit any incident (lib/incidents/access.ts). */
  INCIDENT_SRE_TEAMS: z.string().default(''),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
});

export type Env = z.infer<typeof schema> & {
  dataDir: string;
  root: string;
  embedded: boolean;
  demo: boolean;
  demoPasswords: boolean;
  /** The clock the demo seed uses; undefined means the real one. */
  seedNow: Date | undefined;
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
    seedNow: e.COUNTERSIGN_SEED_NOW ? new Date(e.COUNTERSIGN_SEED_NOW) : undefined,
  };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

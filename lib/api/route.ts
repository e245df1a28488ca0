// The one wrapper every route handler goes through: authenticate, check role and
// scope, enforce CSRF for cookie sessions, parse the input with zod, and map errors
// to {error: {code, message}} — never a stack trace.
import { z, type ZodType } from 'zod';
import { getDb } from '@/db';
import type { Db } from '@/db/client';
import type { Role, TokenScope } from '@/db/schema/enums';
import { resolveActor, type Actor } from '@/lib/auth/actor';
import { CSRF_HEADER, csrfMatches } from '@/lib/auth/session';
import { AppError, badRequest, forbidden, pgErrorOf, tooLarge, unauthorized } from '@/lib/errors';
import { isRiskInputError } from '@/lib/risk/errors';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ApiContext<B, Q, P, A extends Actor | null> {
  req: Request;
  params: P;
  body: B;
  query: Q;
  actor: A;
  db: Db;
}

interface RouteOptions<B, Q> {
  /** 'none' for public routes (health, webhooks verified by signature). */
  auth?: 'required' | 'none';
  scope?: TokenScope;
  roles?: readonly Role[];
  body?: ZodType<B>;
  query?: ZodType<Q>;
  maxBodyBytes?: number;
}

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

export function apiRoute<B = undefined, Q = undefined, P = Record<string, string>>(
  opts: RouteOptions<B, Q> & { auth: 'none' },
  handler: (ctx: ApiContext<B, Q, P, Actor | null>) => Promise<unknown>,
): (req: Request, ctx: NextRouteContext) => Promise<Response>;
export function apiRoute<B = undefined, Q = undefined, P = Record<string, string>>(
  opts: RouteOptions<B, Q>,
  handler: (ctx: ApiContext<B, Q, P, Actor>) => Promise<unknown>,
): (req: Request, ctx: NextRouteContext) => Promise<Response>;
export function apiRoute<B, Q, P>(opts: RouteOptions<B, Q>, handler: (ctx: ApiContext<B, Q, P, Actor>) => Promise<unknown>) {
  const route = async (req: Request, routeCtx: NextRouteContext): Promise<Response> => {
    try {
      const db = await getDb();
      let actor: Actor | null = null;
      if (opts.auth !== 'none') {
        actor = await resolveActor(db, req.headers);
        if (!actor) throw unauthorized();
        authorize(actor, opts, req.method);
        if (actor.via === 'session' && UNSAFE_METHODS.has(req.method) && !csrfMatches(actor.csrfToken ?? '', req.headers.get(CSRF_HEADER))) {
          throw forbidden('csrf_failed', 'Missing or wrong CSRF token: reload the page and try again.');
        }
      }
      const params = ((await routeCtx?.params) ?? {}) as P;
      const query = opts.query ? parseWith(opts.query, Object.fromEntries(new URL(req.url).searchParams), 'query') : (undefined as Q);
      const body = opts.body ? parseWith(opts.body, await readJsonBody(req, opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), 'body') : (undefined as B);
      // With auth 'none' the handler's own signature says the actor may be null.
      const result = await handler({ req, params, body, query, actor: actor as Actor, db });
      return result instanceof Response ? result : Response.json(result);
    } catch (err) {
      return errorResponse(err);
    }
  };
  routeMeta.set(route, { auth: opts.auth ?? 'required', scope: opts.scope, roles: opts.roles });
  return route;
}

/** Who may call a handler, as declared to apiRoute: lets a test check every route's refusals. */
export interface RouteMeta {
  auth: 'required' | 'none';
  scope?: TokenScope;
  roles?: readonly Role[];
}

const routeMeta = new WeakMap<object, RouteMeta>();

/** The declared access of a route handler, or undefined when it does not go through apiRoute. */
export function routeMetaOf(handler: unknown): RouteMeta | undefined {
  return typeof handler === 'function' ? routeMeta.get(handler) : undefined;
}

function authorize(actor: Actor, opts: RouteOptions<unknown, unknown>, method: string): void {
  if (opts.scope && !actor.scopes.has(opts.scope)) {
    throw forbidden('insufficient_scope', `This ${actor.via === 'token' ? 'token' : 'account'} lacks the scope ${opts.scope} needed for ${method} here.`);
  }
  if (opts.roles && !opts.roles.includes(actor.person.role as Role)) {
    throw forbidden('forbidden_role', `Only ${opts.roles.join(', ')} may do this; you are ${actor.person.role}.`);
  }
}

export function parseWith<T>(schema: ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  // A refinement may say the request is malformed rather than unprocessable (e.g. a numeric externalId).
  const malformed = parsed.error.issues.some((i) => i.code === 'custom' && (i.params as { httpStatus?: number } | undefined)?.httpStatus === 400);
  throw new AppError(
    where === 'query' || malformed ? 400 : 422,
    'validation_failed',
    first ? `Invalid ${where}: ${first.path ? `${first.path}: ` : ''}${first.message}` : `Invalid ${where}.`,
    issues,
  );
}

/** Reads at most `max` bytes of a JSON body: refuses the rest with 413 instead of buffering it. */
export async function readJsonBody(req: Request, max: number): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const text = await readTextBody(req, max);
  if (!text.trim()) throw badRequest('empty_body', 'The request body is empty; send a JSON object.');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest('invalid_json', `The body is not valid JSON: ${(err as Error).message}`);
  }
}

export async function readTextBody(req: Request, max: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > max) throw tooLarge(`The body is ${declared} bytes; the limit is ${max} bytes.`);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`The body exceeds the limit of ${max} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    return Response.json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }, { status: err.status });
  }
  if (isRiskInputError(err)) {
    return Response.json({ error: { code: err.code, message: err.message } }, { status: 422 });
  }
  const pg = pgErrorOf(err);
  if (pg?.hint === 'countersign') {
    // Raised by our own database guards (triggers): their message is the reason code.
    return Response.json({ error: { code: pg.message, message: `Refused by the database: ${pg.message.replaceAll('_', ' ')}.` } }, { status: 409 });
  }
  if (pg?.code === '23505') {
    return Response.json({ error: { code: 'conflict', message: `Already exists (${pg.constraint ?? 'unique key'}).` } }, { status: 409 });
  }
  if (pg?.code === '23503' || pg?.code === '23514') {
    return Response.json({ error: { code: 'constraint_violation', message: `Refused by the database (${pg.constraint ?? pg.code}).` } }, { status: 422 });
  }
  console.error('[countersign] unhandled error:', err);
  return Response.json({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' } }, { status: 500 });
}

/** Query-string helpers shared by list endpoints. */
export const listQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};

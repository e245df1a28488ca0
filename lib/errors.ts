// Typed errors with stable codes; the API wrapper maps them to {error: {code, message}}.
export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export class AppError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'Sign in or send a valid API token.') => new AppError(401, 'unauthorized', message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooLarge = (message: string) => new AppError(413, 'payload_too_large', message);
export const unprocessable = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details);

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Postgres error fields we rely on, whichever driver raised them. */
export function pgErrorOf(err: unknown): { code?: string; constraint?: string; message: string; hint?: string } | null {
  let e = err as Record<string, unknown> | null;
  // drizzle wraps driver errors in DrizzleQueryError { cause }.
  for (let i = 0; i < 3 && e && typeof e === 'object' && !('code' in e && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) && 'cause' in e; i++) {
    e = e.cause as Record<string, unknown> | null;
  }
  if (!e || typeof e !== 'object' || typeof e.code !== 'string') return null;
  return {
    code: e.code,
    constraint: (e.constraint_name ?? e.constraint) as string | undefined,
    message: String(e.message ?? ''),
    hint: e.hint as string | undefined,
  };
}

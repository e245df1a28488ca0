// Talking to a running Countersign server from the command line: the base URL and token from
// flags or the environment, JSON in and out, the server's {error} turned into one clear line.
import { CliError, out } from './context';

export interface ServerOptions {
  url?: string;
  token?: string;
}

export function serverUrl(flag?: string): string {
  const url = flag ?? process.env.COUNTERSIGN_URL ?? `http://localhost:${process.env.PORT || 3000}`;
  try {
    return new URL(url).toString().replace(/\/+$/, '');
  } catch {
    throw new CliError(`--url ${url} is not a URL (e.g. https://countersign.example.com).`, 2);
  }
}

export function serverToken(flag?: string): string | null {
  return flag ?? process.env.COUNTERSIGN_TOKEN ?? null;
}

export interface ApiCall {
  method?: string;
  path: string;
  /** JSON-serialised unless `raw` is given. */
  json?: unknown;
  raw?: { body: string; contentType: string };
}

/** Calls the API; returns the parsed JSON body, or throws CliError with the server's message. */
export async function callServer<T>(opts: { url: string; token: string }, call: ApiCall): Promise<{ status: number; body: T }> {
  const target = `${opts.url}${call.path}`;
  let res: Response;
  try {
    res = await fetch(target, {
      method: call.method ?? 'POST',
      headers: {
        authorization: `Bearer ${opts.token}`,
        accept: 'application/json',
        'x-countersign-client': 'cli',
        'content-type': call.raw ? call.raw.contentType : 'application/json',
      },
      body: call.raw ? call.raw.body : JSON.stringify(call.json),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new CliError(`Cannot reach Countersign at ${opts.url} (${code}). Is the server running? Set --url or COUNTERSIGN_URL.`, 1);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new CliError(e ? `${e.message} (${res.status} ${e.code})` : `The server answered ${res.status} ${res.statusText}.`, 1);
  }
  return { status: res.status, body: body as T };
}

/** A file's text, stdin for "-", or a URL's body for http(s):// sources. */
export async function readSource(source: string, what: string): Promise<string> {
  if (source === '-') {
    const stdin = out.stdin();
    if (stdin.isTTY) throw new CliError(`${what}: "-" reads from stdin, but nothing is piped in (e.g. git diff main...HEAD | countersign submit --diff - …).`, 2);
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source, { signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      throw new CliError(`${what}: cannot fetch ${source}: ${(err as Error).message}`, 1);
    }
    if (!res.ok) throw new CliError(`${what}: ${source} answered ${res.status} ${res.statusText}.`, 1);
    return res.text();
  }
  const fs = await import('node:fs/promises');
  try {
    return await fs.readFile(source, 'utf8');
  } catch (err) {
    throw new CliError(`${what}: cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, 2);
  }
}

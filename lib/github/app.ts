// GitHub App authentication: the App's id and private key sign a short JWT (RS256), which buys an
// installation access token per installation (POST /app/installations/{id}/access_tokens). Tokens
// live an hour; they are cached per installation and bought again a few minutes before they expire.
// Without an App (or without an installation id), GITHUB_TOKEN is used as before.
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { getEnv } from '@/lib/env';

/** A token is bought again this long before GitHub says it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 15_000;

export class GithubAuthError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GithubAuthError';
  }
}

export interface AppCredentials {
  appId: string;
  key: KeyObject;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

/** The App's JWT (RS256): issued 60 s in the past against clock drift, valid 9 minutes (GitHub allows 10). */
export function appJwt(creds: AppCredentials, now = Date.now()): string {
  const iat = Math.floor(now / 1000) - 60;
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ iat, exp: iat + 600 - 60, iss: creds.appId }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(creds.key);
  return `${header}.${payload}.${b64url(signature)}`;
}

let cachedCreds: { source: string; creds: AppCredentials | null } | undefined;

/** The App's credentials from the environment, or null when no App is configured. */
export function appCredentials(): AppCredentials | null {
  const env = getEnv();
  if (!env.GITHUB_APP_ID) return null;
  const source = `${env.GITHUB_APP_ID}\n${env.GITHUB_APP_PRIVATE_KEY ?? ''}\n${env.GITHUB_APP_PRIVATE_KEY_PATH ?? ''}`;
  if (cachedCreds?.source === source) return cachedCreds.creds;
  let pem = env.GITHUB_APP_PRIVATE_KEY?.replace(/\\n/g, '\n');
  if (!pem && env.GITHUB_APP_PRIVATE_KEY_PATH) pem = fs.readFileSync(env.GITHUB_APP_PRIVATE_KEY_PATH, 'utf8');
  if (!pem) throw new GithubAuthError('GITHUB_APP_ID is set but neither GITHUB_APP_PRIVATE_KEY nor GITHUB_APP_PRIVATE_KEY_PATH is.', null);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new GithubAuthError(`The GitHub App private key cannot be read (expected the PEM file GitHub generated): ${(err as Error).message}`, null);
  }
  const creds = { appId: env.GITHUB_APP_ID, key };
  cachedCreds = { source, creds };
  return creds;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

const tokens = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<CachedToken>>();

/** Forgets cached installation tokens (tests; an installation that was removed). */
export function clearInstallationTokens(installationId?: number): void {
  if (installationId === undefined) tokens.clear();
  else for (const k of tokens.keys()) if (k.endsWith(`#${installationId}`)) tokens.delete(k);
}

async function buyToken(base: string, creds: AppCredentials, installationId: number): Promise<CachedToken> {
  let res: Response;
  try {
    res = await fetch(`${base}/app/installations/${installationId}/access_tokens`, {
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        'user-agent': 'countersign',
        'x-github-api-version': '2022-11-28',
        authorization: `Bearer ${appJwt(creds)}`,
      },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new GithubAuthError(`GitHub API at ${base} unreachable while getting an installation token (${cause?.code ?? cause?.message ?? (err as Error).name}): ${(err as Error).message}`, null);
  }
  if (!res.ok) {
    const detail = await res.json().then((b: { message?: string }) => b.message ?? '', () => '');
    throw new GithubAuthError(
      `GitHub refused an installation token for installation ${installationId} (${res.status}${detail ? `: ${detail}` : ''}). Check GITHUB_APP_ID, the private key and that the App is installed.`,
      res.status,
    );
  }
  const body = (await res.json()) as { token: string; expires_at: string };
  return { token: body.token, expiresAt: Date.parse(body.expires_at) };
}

/**
 * The token for calls about an installation's repositories: its installation token when an App is
 * configured and the installation is known, else GITHUB_TOKEN (null when neither is set).
 */
export async function tokenFor(installationId: number | null | undefined, now = Date.now()): Promise<string | null> {
  const env = getEnv();
  const creds = appCredentials();
  if (!creds || !installationId) return env.GITHUB_TOKEN ?? null;
  const base = env.GITHUB_API_URL.replace(/\/+$/, '');
  const key = `${base}#${installationId}`;
  const cached = tokens.get(key);
  if (cached && cached.expiresAt - TOKEN_REFRESH_MARGIN_MS > now) return cached.token;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = buyToken(base, creds, installationId).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const fresh = await pending;
  tokens.set(key, fresh);
  return fresh.token;
}

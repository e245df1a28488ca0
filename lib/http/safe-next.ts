// Where to go after signing in: always a path on this site. One definition, used by the sign-in
// page, its form and every redirect to /signin.

const BASE = 'http://countersign.invalid';

/**
 * A same-origin path (with its query and fragment) for a `next` value, or '/' when the value
 * could lead anywhere else: absolute URLs, protocol-relative `//x`, `/\x` (browsers read `\`
 * as `/`), control characters and whitespace tricks, and anything that resolves off-site.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return '/';
  // Control characters, spaces and backslashes have no business in a path we produce ourselves.
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(next)) return '/';
  if (!next.startsWith('/') || next.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The normalised path must itself still be a plain path (e.g. `/%2F/x` stays encoded, fine; `//` is not).
  return path.startsWith('/') && !path.startsWith('//') ? path : '/';
}

/** The sign-in page for someone who wanted `path`. */
export function signInUrlFor(path: string | null | undefined): string {
  const next = safeNextPath(path);
  return next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`;
}

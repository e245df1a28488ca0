// The response headers every page carries: one definition for proxy.ts and next.config.ts.

/** Headers that do not depend on the request. */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/**
 * The page CSP: scripts only from this site or carrying this response's nonce ('strict-dynamic'
 * lets Next's own chunks load); inline style attributes stay allowed (React `style` props).
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** HSTS only when the page was served over https (directly or as the trusted proxy says) in production. */
export function wantsHsts(protocol: string, forwardedProto: string | null, production: boolean): boolean {
  return production && (protocol === 'https:' || forwardedProto?.split(',')[0]?.trim() === 'https');
}

// Runs before every page: a fresh CSP nonce, HSTS over https in production, and the path asked
// for (so a signed-out visit is sent to /signin?next=<that path> and lands there afterwards).
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, HSTS_VALUE, wantsHsts } from '@/lib/http/security-headers';

export const REQUEST_PATH_HEADER = 'x-countersign-path';

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  if (wantsHsts(request.nextUrl.protocol, request.headers.get('x-forwarded-proto'), process.env.NODE_ENV === 'production')) {
    response.headers.set('Strict-Transport-Security', HSTS_VALUE);
  }
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!api|_next/static|_next/image|favicon).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};

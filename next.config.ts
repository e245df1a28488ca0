import type { NextConfig } from 'next';
import { STATIC_SECURITY_HEADERS } from './lib/http/security-headers';

const nextConfig: NextConfig = {
  // PGlite ships its own WASM and data files, pdfkit its font metrics: bundling them breaks them.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'pdfkit'],
  poweredByHeader: false,
  // Lets several builds coexist (parallel test runs); the default is .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  typedRoutes: false,
  async headers() {
    return [
      {
        source: '/:path*',
        // The CSP (with its per-request nonce) and HSTS come from proxy.ts.
        headers: [...STATIC_SECURITY_HEADERS],
      },
    ];
  },
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
  },
};

export default nextConfig;

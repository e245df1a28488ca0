import type { NextConfig } from 'next';

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
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
  },
};

export default nextConfig;

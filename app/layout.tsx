import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Countersign', template: '%s · Countersign' },
  description: 'Two-person sign-off, deploy gate and audit trail for AI-assisted changes to production.',
  icons: { icon: { url: '/favicon.svg', type: 'image/svg+xml' } },
};

// Applies the saved theme before first paint; "system" follows the OS.
const themeScript = `(function(){try{var m=document.cookie.match(/(?:^|; )cs_theme=(light|dark|system)/);var t=m?m[1]:'system';var d=t==='dark'||(t==='system'&&window.matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.classList.toggle('dark',d);}catch(e){}})();`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const theme = (await cookies()).get('cs_theme')?.value;
  // proxy.ts sets the CSP and its nonce; Next.js puts the same nonce on its own scripts.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" className={theme === 'dark' ? 'dark' : undefined} suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen font-sans text-sm">{children}</body>
    </html>
  );
}

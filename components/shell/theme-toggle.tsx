'use client';
// Light, dark or system; remembered in a cookie so the server renders the right theme.
import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark' | 'system';
const ORDER: Theme[] = ['system', 'light', 'dark'];

function apply(theme: Theme) {
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
  document.cookie = `cs_theme=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');
  useEffect(() => {
    const m = /(?:^|; )cs_theme=(light|dark|system)/.exec(document.cookie);
    // Read the saved choice once on mount; the server cannot know "system".
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (m) setTheme(m[1] as Theme);
  }, []);
  const next = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length]!;
  return (
    <button
      type="button"
      onClick={() => {
        setTheme(next);
        apply(next);
      }}
      className="rounded-md px-2 py-1 text-xs text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      aria-label={`Theme: ${theme}. Switch to ${next}.`}
      title={`Theme: ${theme} (click for ${next})`}
    >
      {theme === 'dark' ? '☾ Dark' : theme === 'light' ? '☀ Light' : '◐ System'}
    </button>
  );
}

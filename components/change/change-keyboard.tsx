'use client';
// Keys on a change page: a / r open the sign-off form (the buttons still decide), n / p walk the
// queue in the order last shown, g then a letter jumps to a section, ? shows them all.
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { loadOrder, neighbour } from '@/lib/queue/session';

const JUMPS: Record<string, [string, string]> = {
  s: ['sign-off', 'Sign-off'],
  r: ['risk', 'Risk'],
  d: ['diff', 'Diff'],
  b: ['blast-radius', 'Blast radius'],
  i: ['incidents', 'Incident history'],
  w: ['watchouts', 'Watch-outs'],
};

export const CHANGE_KEYS: [string, string][] = [
  ['a', 'Approve: open the sign-off form (then press Approve)'],
  ['r', 'Reject: open the sign-off form to say what must change'],
  ['n', 'Next change in the queue'],
  ['p', 'Previous change in the queue'],
  ['q', 'Back to the queue'],
  ...Object.entries(JUMPS).map(([k, [, label]]) => [`g ${k}`, `Jump to ${label}`] as [string, string]),
  ['?', 'Show or hide these keys'],
  ['Esc', 'Close this help, or leave a text field'],
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function ChangeKeyboard({ changeId }: { changeId: number }) {
  const router = useRouter();
  const [help, setHelp] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const pendingG = useRef(false);

  useEffect(() => {
    function jump(anchor: string) {
      const el = document.getElementById(anchor);
      if (!el) return;
      el.scrollIntoView({ block: 'start' });
      window.history.replaceState(window.history.state, '', `#${anchor}`);
    }
    function openForm(intent: 'approve' | 'reject') {
      jump('sign-off');
      const box = document.querySelector<HTMLTextAreaElement>('[data-sign-off-comment]');
      if (box) {
        box.focus();
        setNote(intent === 'approve' ? 'Say what you checked, then press Approve.' : 'Say what must change, then press Reject.');
      } else {
        setNote('You cannot sign off this revision: the sign-off panel says why.');
      }
    }
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === 'Escape') {
        setHelp(false);
        if (isTyping(e.target)) (e.target as HTMLElement).blur();
        return;
      }
      if (isTyping(e.target)) return;
      if (pendingG.current) {
        pendingG.current = false;
        const target = JUMPS[e.key];
        if (target) {
          e.preventDefault();
          jump(target[0]);
          return;
        }
      }
      switch (e.key) {
        case 'g':
          pendingG.current = true;
          window.setTimeout(() => (pendingG.current = false), 1500);
          return;
        case '?':
          e.preventDefault();
          setHelp((h) => !h);
          return;
        case 'a':
        case 'r':
          e.preventDefault();
          openForm(e.key === 'a' ? 'approve' : 'reject');
          return;
        case 'n':
        case 'p': {
          e.preventDefault();
          const order = loadOrder();
          const id = neighbour(order, changeId, e.key === 'n' ? 1 : -1);
          if (id !== null) router.push(`/changes/${id}`);
          else setNote(order ? `No ${e.key === 'n' ? 'next' : 'previous'} change in the queue as last shown.` : 'Open the queue first: n and p follow its order.');
          return;
        }
        case 'q':
          e.preventDefault();
          router.push(loadOrder()?.url ?? '/queue');
          return;
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [changeId, router]);

  useEffect(() => {
    if (!note) return;
    const t = window.setTimeout(() => setNote(null), 4000);
    return () => window.clearTimeout(t);
  }, [note]);

  return (
    <>
      <p role="status" aria-live="polite" className={note ? 'fixed right-4 bottom-4 z-40 max-w-sm rounded-md bg-zinc-900 px-3 py-2 text-sm text-white shadow-lg dark:bg-zinc-100 dark:text-zinc-900' : 'sr-only'}>
        {note}
      </p>
      <p className="mb-2 hidden text-xs text-zinc-500 md:block dark:text-zinc-400">
        Press <kbd className="rounded border border-zinc-300 px-1 font-mono text-[10px] dark:border-zinc-700">?</kbd> for keys
      </p>
      {help ? (
        <div className="fixed inset-0 z-50 grid place-items-center bg-black/40 p-4" onClick={() => setHelp(false)}>
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby="keys-title"
            className="w-full max-w-md rounded-lg bg-white p-4 shadow-xl dark:bg-zinc-900"
            onClick={(e) => e.stopPropagation()}
          >
            <h2 id="keys-title" className="mb-3 text-sm font-semibold">Keyboard shortcuts</h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-sm">
              {CHANGE_KEYS.map(([k, text]) => (
                <div key={k} className="contents">
                  <dt>
                    <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-800">{k}</kbd>
                  </dt>
                  <dd className="text-zinc-700 dark:text-zinc-300">{text}</dd>
                </div>
              ))}
            </dl>
            <button type="button" autoFocus onClick={() => setHelp(false)} className="mt-4 rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700">
              Close
            </button>
          </div>
        </div>
      ) : null}
    </>
  );
}

'use client';
// Keyboard-first review: j/k move the selection, Enter opens it, / jumps to the search box, Escape leaves it.
import { useEffect, useRef, type RefObject } from 'react';

interface Options {
  count: number;
  selected: number;
  setSelected: (i: number) => void;
  onOpen: (index: number) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  /** Called when `j` is pressed on the last loaded row (load the next page). */
  onNeedMore: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useQueueKeyboard(opts: Options): void {
  // The listener is installed once; it reads the latest options through a ref.
  const ref = useRef(opts);
  useEffect(() => {
    ref.current = opts;
  });
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const o = ref.current;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === 'Escape' && e.target === o.searchRef.current) {
        o.searchRef.current?.blur();
        return;
      }
      if (isTyping(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        o.searchRef.current?.focus();
        o.searchRef.current?.select();
      } else if (e.key === 'j') {
        e.preventDefault();
        if (o.selected >= o.count - 1) o.onNeedMore();
        o.setSelected(Math.min(o.selected + 1, o.count - 1));
      } else if (e.key === 'k') {
        e.preventDefault();
        o.setSelected(Math.max(o.selected - 1, 0));
      } else if (e.key === 'Enter' && o.selected >= 0 && !(e.target instanceof HTMLAnchorElement || e.target instanceof HTMLButtonElement)) {
        e.preventDefault();
        o.onOpen(o.selected);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

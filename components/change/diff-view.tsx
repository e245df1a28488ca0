'use client';
// The diff, file by file: collapsible, syntax-highlighted, additions and deletions coloured, and every
// flagged line marked inline with its message (destructive in red, risky in amber). Big files start
// collapsed and render their lines a page at a time (diff-budget.ts), so a large diff stays responsive.
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { ChangeFile } from '@/db/queries/change-detail';
import type { DiffHunk, DiffLine, LineFlag } from '@/lib/risk/types';
import { fileAnchor, lineAnchor } from './anchors';
import { COLLAPSE_ABOVE_LINES, fileLineCount, initiallyOpenFiles, LINES_PER_PAGE } from './diff-budget';
import { tokenClass, tokenizeLines } from './highlight';
import { RichText } from './rich-text';

export function DiffView({ files }: { files: ChangeFile[] }) {
  const initiallyOpen = useMemo(() => initiallyOpenFiles(files), [files]);
  const [open, setOpen] = useState<Set<number>>(initiallyOpen);

  const toggle = useCallback((position: number, value?: boolean) => {
    setOpen((s) => {
      const next = new Set(s);
      if (value ?? !next.has(position)) next.add(position);
      else next.delete(position);
      return next;
    });
  }, []);

  // A link to a file or line (from the risk panel's findings) opens that file first.
  useEffect(() => {
    function reveal() {
      const m = /^#(?:file-(\d+)|L-(\d+)-\d+)$/.exec(window.location.hash);
      const position = m ? Number(m[1] ?? m[2]) : NaN;
      if (Number.isNaN(position)) return;
      toggle(position, true);
      window.requestAnimationFrame(() => document.getElementById(window.location.hash.slice(1))?.scrollIntoView({ block: 'center' }));
    }
    reveal();
    window.addEventListener('hashchange', reveal);
    return () => window.removeEventListener('hashchange', reveal);
  }, [toggle]);

  const totals = useMemo(() => files.reduce((t, f) => ({ add: t.add + f.additions, del: t.del + f.deletions, flagged: t.flagged + f.flagged + f.flags.length }), { add: 0, del: 0, flagged: 0 }), [files]);

  if (!files.length) {
    return <p className="rounded-lg border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">This revision has no source diff (only a Terraform plan).</p>;
  }
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
        <span className="tabular">
          {files.length} {files.length === 1 ? 'file' : 'files'} · <span className="text-emerald-700 dark:text-emerald-400">+{totals.add}</span>{' '}
          <span className="text-rose-700 dark:text-rose-400">−{totals.del}</span>
          {totals.flagged ? <> · <span className="font-medium text-red-700 dark:text-red-400">{totals.flagged} flagged</span></> : null}
        </span>
        <span className="ml-auto flex gap-1">
          <button type="button" className="rounded px-2 py-0.5 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100" onClick={() => setOpen(new Set(files.filter((f) => !f.binary).map((f) => f.position)))}>
            Expand all
          </button>
          <button type="button" className="rounded px-2 py-0.5 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100" onClick={() => setOpen(new Set())}>
            Collapse all
          </button>
        </span>
      </div>
      <div className="space-y-3">
        {files.map((f) => (
          <DiffFileView key={f.position} file={f} open={open.has(f.position)} onToggle={toggle} />
        ))}
      </div>
    </div>
  );
}

const STATUS_STYLE: Record<ChangeFile['status'], string> = {
  added: 'text-emerald-700 bg-emerald-50 ring-emerald-600/20 dark:text-emerald-300 dark:bg-emerald-500/10 dark:ring-emerald-400/20',
  modified: 'text-zinc-600 bg-zinc-50 ring-zinc-500/20 dark:text-zinc-300 dark:bg-zinc-500/10 dark:ring-zinc-400/20',
  deleted: 'text-rose-700 bg-rose-50 ring-rose-600/20 dark:text-rose-300 dark:bg-rose-500/10 dark:ring-rose-400/20',
  renamed: 'text-sky-700 bg-sky-50 ring-sky-600/20 dark:text-sky-300 dark:bg-sky-500/10 dark:ring-sky-400/20',
};

const DiffFileView = memo(function DiffFileView({ file: f, open, onToggle }: { file: ChangeFile; open: boolean; onToggle: (p: number, v?: boolean) => void }) {
  const total = fileLineCount(f);
  const [shown, setShown] = useState(LINES_PER_PAGE);
  const worst = f.flags.some((x) => x.severity === 'destructive') || f.hunks.some((h) => h.lines.some((l) => l.flags?.some((x) => x.severity === 'destructive'))) ? 'destructive' : f.flagged || f.flags.length ? 'risky' : null;
  const bodyId = `${fileAnchor(f.position)}-body`;
  return (
    <section id={fileAnchor(f.position)} aria-label={`Diff of ${f.path}`} className="scroll-mt-28 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <header className={`flex items-center gap-2 px-3 py-2 text-sm ${open ? 'border-b border-zinc-200 dark:border-zinc-800' : ''} bg-zinc-50 dark:bg-zinc-900/60`}>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => onToggle(f.position)}
          disabled={f.binary}
          className="flex min-w-0 flex-1 items-center gap-2 text-left disabled:cursor-default"
          title={open ? 'Collapse file' : 'Expand file'}
        >
          <span aria-hidden className={`inline-block w-3 text-zinc-400 transition-transform ${open ? 'rotate-90' : ''}`}>▶</span>
          <span className={`rounded px-1.5 py-0.5 text-[10px] font-semibold uppercase ring-1 ring-inset ${STATUS_STYLE[f.status]}`}>{f.status}</span>
          <span className="min-w-0 truncate font-mono text-[13px] font-medium">
            {f.oldPath && f.oldPath !== f.path ? (
              <>
                <span className="text-zinc-500">{f.oldPath}</span> → {f.path}
              </>
            ) : (
              f.path
            )}
          </span>
        </button>
        {worst ? (
          <span className={`shrink-0 rounded px-1.5 py-0.5 text-[11px] font-medium ${worst === 'destructive' ? 'bg-red-600 text-white dark:bg-red-500' : 'bg-amber-100 text-amber-900 dark:bg-amber-500/20 dark:text-amber-200'}`}>
            {f.flagged + f.flags.length} flagged
          </span>
        ) : null}
        <span className="shrink-0 font-mono text-xs tabular">
          <span className="text-emerald-700 dark:text-emerald-400">+{f.additions}</span> <span className="text-rose-700 dark:text-rose-400">−{f.deletions}</span>
        </span>
      </header>
      {f.flags.map((flag) => (
        <FlagNote key={flag.key + flag.message} flag={flag} className="border-b border-zinc-200 dark:border-zinc-800" />
      ))}
      {f.binary ? (
        <p className="px-3 py-3 text-xs text-zinc-500">Binary file: not shown.</p>
      ) : open ? (
        <div id={bodyId}>
          <FileLines file={f} limit={shown} />
          {total > shown ? (
            <button type="button" onClick={() => setShown((n) => n + LINES_PER_PAGE)} className="w-full border-t border-zinc-200 bg-zinc-50 px-3 py-2 text-xs font-medium text-accent-700 hover:bg-zinc-100 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-accent-500 dark:hover:bg-zinc-800">
              Show {Math.min(LINES_PER_PAGE, total - shown)} more lines ({total - shown} not shown)
            </button>
          ) : null}
        </div>
      ) : (
        <button type="button" onClick={() => onToggle(f.position, true)} className="w-full px-3 py-2 text-left text-xs text-zinc-500 hover:bg-zinc-50 dark:text-zinc-400 dark:hover:bg-zinc-800/50">
          {total > COLLAPSE_ABOVE_LINES ? `Large diff: ${total.toLocaleString('en-US')} lines. ` : ''}Show the diff
        </button>
      )}
    </section>
  );
});

function FileLines({ file, limit }: { file: ChangeFile; limit: number }) {
  // Highlight hunk by hunk (a hunk is contiguous text), only the hunks within the shown budget.
  const visible = useMemo(() => {
    const out: { hunk: DiffHunk; lines: DiffLine[] }[] = [];
    let left = limit;
    for (const hunk of file.hunks) {
      if (left <= 0) break;
      const lines = hunk.lines.slice(0, left);
      out.push({ hunk, lines });
      left -= lines.length;
    }
    return out;
  }, [file.hunks, limit]);
  const tokens = useMemo(() => visible.map((v) => tokenizeLines(v.lines.map((l) => l.content), file.language)), [visible, file.language]);
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse font-mono text-[12.5px] leading-5">
        <tbody>
          {visible.map((v, hi) => (
            <HunkRows key={hi} position={file.position} hunk={v.hunk} lines={v.lines} tokens={tokens[hi]!} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HunkRows({ position, hunk, lines, tokens }: { position: number; hunk: DiffHunk; lines: DiffLine[]; tokens: ReturnType<typeof tokenizeLines> }) {
  return (
    <>
      <tr className="bg-sky-50/70 text-sky-800 dark:bg-sky-500/10 dark:text-sky-300">
        <td colSpan={3} className="px-3 py-1 text-xs select-none">
          {hunk.header}
        </td>
      </tr>
      {lines.map((l, i) => {
        const severity = l.flags?.some((f) => f.severity === 'destructive') ? 'destructive' : l.flags?.length ? 'risky' : null;
        const no = l.type === 'del' ? l.oldNo : l.newNo;
        const rowTone =
          l.type === 'add' ? 'bg-emerald-50 dark:bg-emerald-500/10' : l.type === 'del' ? 'bg-rose-50 dark:bg-rose-500/10' : '';
        const edge = severity === 'destructive' ? 'shadow-[inset_3px_0_0_var(--color-red-600)]' : severity === 'risky' ? 'shadow-[inset_3px_0_0_var(--color-amber-500)]' : '';
        return (
          <LineRow
            key={i}
            // Findings point at new-side lines, or at the old side for removed lines (flagged ones only).
            id={no !== undefined && (l.type !== 'del' || severity) ? lineAnchor(position, no) : undefined}
            line={l}
            tone={rowTone}
            edge={edge}
            tokens={tokens[i] ?? []}
            severity={severity}
          />
        );
      })}
    </>
  );
}

function LineRow({ id, line: l, tone, edge, tokens, severity }: { id?: string; line: DiffLine; tone: string; edge: string; tokens: ReturnType<typeof tokenizeLines>[number]; severity: 'destructive' | 'risky' | null }) {
  const marker = l.type === 'add' ? '+' : l.type === 'del' ? '−' : ' ';
  return (
    <>
      <tr id={id} className={`${tone} ${edge} scroll-mt-24 target:outline target:outline-2 target:outline-accent-500`} data-flagged={severity ?? undefined}>
        <td className="w-10 px-2 text-right text-zinc-400 tabular select-none dark:text-zinc-500">{l.oldNo ?? ''}</td>
        <td className="w-10 px-2 text-right text-zinc-400 tabular select-none dark:text-zinc-500">{l.newNo ?? ''}</td>
        <td className="px-2 whitespace-pre">
          <span className={`mr-2 select-none ${l.type === 'add' ? 'text-emerald-700 dark:text-emerald-400' : l.type === 'del' ? 'text-rose-700 dark:text-rose-400' : 'text-zinc-300 dark:text-zinc-600'}`}>{marker}</span>
          {tokens.map((t, j) => (
            <span key={j} className={tokenClass(t)}>
              {t.content}
            </span>
          ))}
          {l.noNewlineAtEof ? <span className="ml-2 text-[10px] text-zinc-400" title="No newline at end of file">⏎̸</span> : null}
        </td>
      </tr>
      {l.flags?.map((flag, k) => (
        <tr key={`f${k}`} className={tone}>
          <td colSpan={3} className="px-2 pb-1.5">
            <FlagNote flag={flag} />
          </td>
        </tr>
      ))}
    </>
  );
}

export function FlagNote({ flag, className = '' }: { flag: LineFlag; className?: string }) {
  const destructive = flag.severity === 'destructive';
  return (
    <div
      role="note"
      aria-label={`${destructive ? 'Destructive' : 'Risky'}: ${flag.message}`}
      className={`flex items-start gap-2 px-3 py-1.5 font-sans text-xs ${
        destructive
          ? 'border-l-[3px] border-red-600 bg-red-50 text-red-800 dark:border-red-500 dark:bg-red-500/15 dark:text-red-200'
          : 'border-l-[3px] border-amber-500 bg-amber-50 text-amber-900 dark:border-amber-400 dark:bg-amber-500/15 dark:text-amber-100'
      } ${className}`}
    >
      <span className="font-semibold">{destructive ? 'Destructive' : 'Risky'}</span>
      <span className="whitespace-normal"><RichText text={flag.message} /></span>
    </div>
  );
}

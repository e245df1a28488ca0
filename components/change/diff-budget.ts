// Which files of a diff start expanded: small ones, flagged ones up to twice that, within a page-wide
// line budget so a 3 MB diff renders its first screens at once and the rest on demand.
export const COLLAPSE_ABOVE_LINES = 400;
export const INITIAL_LINE_BUDGET = 2000;
/** Lines rendered per step inside one expanded file. */
export const LINES_PER_PAGE = 300;

export interface BudgetFile {
  position: number;
  status: string;
  binary: boolean;
  flagged: number;
  hunks: { lines: unknown[] }[];
}

export function fileLineCount(f: Pick<BudgetFile, 'hunks'>): number {
  return f.hunks.reduce((n, h) => n + h.lines.length, 0);
}

export function initiallyOpenFiles(files: readonly BudgetFile[]): Set<number> {
  const open = new Set<number>();
  let budget = INITIAL_LINE_BUDGET;
  for (const f of files) {
    const n = fileLineCount(f);
    const small = n <= COLLAPSE_ABOVE_LINES && !(f.status === 'deleted' && n > 40);
    const flaggedAndReadable = f.flagged > 0 && n <= COLLAPSE_ABOVE_LINES * 2;
    if ((small || flaggedAndReadable) && n <= budget && !f.binary) {
      open.add(f.position);
      budget -= n;
    }
  }
  return open;
}

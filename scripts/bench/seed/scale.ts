// The sizes of the generated organisation. `large` is the benchmark's target (a large
// engineering organisation); `medium` is a tenth of it, small enough for the embedded PGlite.
export interface Scale {
  name: 'large' | 'medium' | 'small';
  services: number;
  edges: number;
  people: number;
  teams: number;
  changes: number;
  incidents: number;
  auditEvents: number;
  watchouts: number;
  /** Days of history, ending at `until`. */
  days: number;
}

export const SCALES: Record<Scale['name'], Scale> = {
  large: { name: 'large', services: 5_000, edges: 25_000, people: 2_000, teams: 250, changes: 250_000, incidents: 20_000, auditEvents: 1_000_000, watchouts: 2_500, days: 730 },
  medium: { name: 'medium', services: 500, edges: 2_500, people: 200, teams: 25, changes: 25_000, incidents: 2_000, auditEvents: 100_000, watchouts: 250, days: 730 },
  // For a quick look at the generator (and its own tests): seconds, not minutes.
  small: { name: 'small', services: 120, edges: 600, people: 60, teams: 8, changes: 2_500, incidents: 200, auditEvents: 11_000, watchouts: 25, days: 365 },
};

/** Open (pending or approved) changes keep their whole blast radius; closed ones the nearest this many. */
export const CLOSED_BLAST_KEEP = 100;

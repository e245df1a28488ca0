// The one clock every test that reads the demo seed uses, so seeded numbers, dates and
// "pending" changes are the same on any day the suite runs. The e2e server seeds with it
// too (COUNTERSIGN_SEED_NOW, set by scripts/e2e-server.mjs from this file's value).
export const SEED_NOW_ISO = '2026-11-28T10:30:00Z';
export const SEED_NOW = new Date(SEED_NOW_ISO);

// Limit rules: a deleted `key: value` and an added one with the same key in the same hunk, compared
// with units (30s → 5s, replicas 3 → 0, Duration.ofMillis(1500) → 400), so lowered safety margins show.
import { addFlag, type FileContext } from './flag-context';
import type { DiffLine } from './types';

export interface LimitValue {
  key: string;
  raw: string;
  value: number;
  unit: 'duration' | 'bytes' | 'count';
}

const LIMIT_LINE = /^\s*(?:-\s+)?(?:(?:export|const|let|var|val|final|static|readonly|private|public|protected|internal)\s+)*(?:(?:int|long|short|float|double|Integer|Long|Duration|number|uint\d*|int\d*|usize|u\d+|i\d+)\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*(?::\s*[A-Za-z]+\s*)?[:=]\s*(?:([A-Za-z_][\w.]*)\(\s*)?["']?(\d+(?:[._]\d+)*)\s*(ms|s|sec|secs|seconds|m|min|mins|minutes|h|hr|hours|d|days|ki|mi|gi|k|kb|m|mb|g|gb|%)?["']?\s*\)?\s*[,;]?\s*(?:(?:#|\/\/).*)?$/i;
const LIMIT_KEY = /timeout|deadline|limit|max|min_?(?:replicas|size|capacity|count|instances|available|healthy)|minReplicas|minAvailable|replica|retr(?:y|ies)|attempt|capacity|pool|connections|concurren|workers|instances|desired_?count|grace|burst|quota|threads|budget/i;
const SCALE_KEY = /replica|desired_?count|min_?size|instances|min_?capacity/i;
const INVERTED_KEY = /unavailable|surge/i;

/** `Duration.ofMillis(400)`, `TimeUnit.SECONDS.toMillis(30)`, `time.Duration(5)`… → the unit the call implies. */
const WRAPPER_UNIT: [RegExp, string][] = [
  [/millis/i, 'ms'], [/seconds?$/i, 's'], [/minutes?$/i, 'm'], [/hours?$/i, 'h'], [/days?$/i, 'd'],
];

const DURATION_MS: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, secs: 1000, seconds: 1000, m: 60_000, min: 60_000, mins: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hours: 3_600_000, d: 86_400_000, days: 86_400_000,
};
const BYTES: Record<string, number> = { k: 1e3, kb: 1e3, ki: 1024, mb: 1e6, mi: 1024 ** 2, g: 1e9, gb: 1e9, gi: 1024 ** 3 };

export function parseLimit(content: string): LimitValue | null {
  if (content.length > 200) return null;
  const match = LIMIT_LINE.exec(content);
  if (!match) return null;
  const key = match[1] ?? '';
  if (!LIMIT_KEY.test(key)) return null;
  const digits = (match[3] ?? '').replace(/_/g, '');
  const number = Number.parseFloat(digits);
  if (!Number.isFinite(number)) return null;
  const wrapper = match[2];
  let suffix = (match[4] ?? '').toLowerCase();
  if (wrapper && suffix === '') suffix = WRAPPER_UNIT.find(([pattern]) => pattern.test(wrapper))?.[1] ?? '';
  const raw = wrapper ? `${wrapper}(${match[3]})` : `${match[3]}${match[4] ?? ''}`;
  if (suffix === '' || suffix === '%') return { key, raw, value: number, unit: 'count' };
  const ms = DURATION_MS[suffix];
  if (ms !== undefined && !(suffix === 'm' && /mem|size|bytes/i.test(key))) return { key, raw, value: number * ms, unit: 'duration' };
  const bytes = BYTES[suffix];
  if (bytes !== undefined) return { key, raw, value: number * bytes, unit: 'bytes' };
  return null;
}

export function compareLimit(ctx: FileContext, line: DiffLine, deleted: Map<string, LimitValue[]>): void {
  const added = parseLimit(line.content);
  if (!added) return;
  const queue = deleted.get(added.key);
  const before = queue?.shift();
  if (!before || before.unit !== added.unit) return;
  const inverted = INVERTED_KEY.test(added.key);
  const worse = inverted ? added.value > before.value : added.value < before.value;
  if (!worse) return;
  if (!inverted && added.value === 0 && SCALE_KEY.test(added.key)) {
    addFlag(ctx, line, 'scaled_to_zero', 'destructive', `Scales \`${added.key}\` from ${before.raw} to 0: nothing is left running`);
    return;
  }
  addFlag(
    ctx, line, 'lowered_limit', 'risky',
    `${inverted ? 'Raises' : 'Lowers'} \`${added.key}\` from ${before.raw} to ${added.raw}`,
  );
}

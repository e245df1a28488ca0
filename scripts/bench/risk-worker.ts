// One risk-engine worker of the benchmark: reads samples from a file, measures diffs/s for the
// given seconds on one core, prints {"diffsPerSec": N} as its last line.
import fs from 'node:fs';
import { measureInProcess, type RiskSample } from './lib/risk';

const [file, seconds = '5'] = process.argv.slice(2);
if (!file) throw new Error('usage: risk-worker.ts <samples.json> [seconds]');
const samples = JSON.parse(fs.readFileSync(file, 'utf8')) as RiskSample[];
for (const s of samples) for (const i of s.context.recentIncidents) i.startedAt = new Date(i.startedAt);
console.log(JSON.stringify(measureInProcess(samples, Number(seconds))));

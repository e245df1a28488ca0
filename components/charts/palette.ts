// Chart colours: the Okabe–Ito palette (distinguishable with the common colour-vision
// deficiencies), readable on white and on zinc-900. Meaning follows the badges: risk and
// severity warm, compliance blue against vermilion, AI levels in four distinct hues.
import type { AiLevel, RiskLevel } from '@/db/schema/enums';

export const AI_COLOURS: Record<AiLevel, string> = { none: '#a1a1aa', assisted: '#56b4e9', generated: '#e69f00', agent: '#cc79a7' };
export const RISK_COLOURS: Record<RiskLevel, string> = { low: '#009e73', medium: '#e6b000', high: '#e07b00', critical: '#d55e00' };
export const SEVERITY_COLOURS: Record<1 | 2 | 3 | 4, string> = { 1: '#d55e00', 2: '#e69f00', 3: '#f0c75e', 4: '#a1a1aa' };
export const GOOD = '#0072b2';
export const BAD = '#d55e00';
export const NEUTRAL = '#a1a1aa';

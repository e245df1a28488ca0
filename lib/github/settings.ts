// The organisation's AI-detection settings: defaults here, overrides in `settings`
// under `ai_detection` ({labels: {name: level}, agentBots: {login: tool}}).
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { settings } from '@/db/schema';
import { DEFAULT_AI_DETECTION, type AiDetectionSettings } from './ai-detect';

export const AI_DETECTION_SETTING_KEY = 'ai_detection';

const Override = z.object({
  /** Replaces the default labels when given. */
  labels: z.record(z.string().min(1), z.enum(['assisted', 'generated', 'agent'])).optional(),
  /** Added to the known coding agents. */
  agentBots: z.record(z.string().min(1), z.string().min(1)).optional(),
});

export async function getAiDetectionSettings(q: Queryable): Promise<AiDetectionSettings> {
  const [row] = await q.select({ value: settings.value }).from(settings).where(eq(settings.key, AI_DETECTION_SETTING_KEY)).limit(1);
  const parsed = Override.safeParse(row?.value ?? {});
  const o = parsed.success ? parsed.data : {};
  return {
    labels: o.labels ?? DEFAULT_AI_DETECTION.labels,
    agentBots: { ...DEFAULT_AI_DETECTION.agentBots, ...(o.agentBots ?? {}) },
  };
}

import { apiRoute, DEFAULT_MAX_BODY_BYTES, readJsonBody } from '@/lib/api/route';
import { DEFAULT_AI_DETECTION } from '@/lib/github/ai-detect';
import { LABEL_LEVELS } from '@/lib/github/ai-detection-schema';
import { aiDetectionVersion, getAiDetectionSettings, updateAiDetectionSettings } from '@/lib/github/settings';

export const dynamic = 'force-dynamic';

/**
 * The AI-detection settings in force (the stored row merged with the defaults), the defaults
 * themselves and the levels a label may declare. `version` (also the ETag) is what a PUT may
 * send back as If-Match. Administrators only, like the change.
 */
export const GET = apiRoute({ scope: 'admin', roles: ['admin'] }, async ({ db }) => {
  const settings = await getAiDetectionSettings(db);
  const version = aiDetectionVersion(settings);
  return Response.json({ settings, version, defaults: DEFAULT_AI_DETECTION, levels: LABEL_LEVELS }, { headers: { etag: version, 'cache-control': 'no-store' } });
});

/**
 * An administrator replaces the settings: `{labels: {name: level}, agentBots: {login: tool}}`,
 * both lists whole. Validated whole; 400 names the field and changes nothing. On success the
 * settings row and a `settings.ai_detection_updated` audit event are written in one
 * transaction, and the next pull request is detected under them.
 */
export const PUT = apiRoute({ scope: 'admin', roles: ['admin'] }, async ({ db, req, actor }) => {
  const body = await readJsonBody(req, Math.min(DEFAULT_MAX_BODY_BYTES, 64 * 1024));
  const r = await updateAiDetectionSettings(db, body, actor.person, { actorLabel: actor.label, ifMatch: req.headers.get('if-match') });
  return Response.json(
    { settings: r.settings, version: r.version, changed: r.changed, auditEventId: r.auditEventId },
    { headers: { etag: r.version, 'cache-control': 'no-store' } },
  );
});

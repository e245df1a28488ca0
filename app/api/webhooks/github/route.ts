// GitHub deliveries (DESIGN.md, API): authenticated by their HMAC signature, not a session.
// Answers in milliseconds: the work is queued as a durable job (lib/github/events.ts).
import { apiRoute, readTextBody } from '@/lib/api/route';
import { getEnv } from '@/lib/env';
import { AppError, badRequest } from '@/lib/errors';
import { acceptDelivery, bodySha256, MAX_WEBHOOK_BYTES, verifySignature } from '@/lib/github/webhook';

export const dynamic = 'force-dynamic';

function parsePayload(raw: string, contentType: string): Record<string, unknown> {
  // GitHub sends JSON, or a form with a `payload` field when the hook is set to form encoding.
  const text = /application\/x-www-form-urlencoded/i.test(contentType) ? (new URLSearchParams(raw).get('payload') ?? '') : raw;
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* answered below */
  }
  throw badRequest('invalid_json', 'The delivery body is not a JSON object.');
}

export const POST = apiRoute({ auth: 'none' }, async ({ req, db }) => {
  const secret = getEnv().GITHUB_WEBHOOK_SECRET;
  if (!secret) {
    throw new AppError(503, 'webhook_not_configured', 'GitHub webhooks are not configured: set GITHUB_WEBHOOK_SECRET on the server to the secret of the webhook.');
  }
  const raw = await readTextBody(req, MAX_WEBHOOK_BYTES);
  const signature = req.headers.get('x-hub-signature-256');
  if (!signature) throw new AppError(401, 'signature_missing', 'Missing X-Hub-Signature-256: configure the webhook with a secret.');
  if (!(await verifySignature(secret, raw, signature))) {
    throw new AppError(401, 'signature_invalid', 'The X-Hub-Signature-256 signature does not match this body and the configured secret.');
  }
  const event = req.headers.get('x-github-event');
  const deliveryId = req.headers.get('x-github-delivery');
  if (!event || !deliveryId) throw badRequest('missing_headers', 'A GitHub delivery carries X-GitHub-Event and X-GitHub-Delivery headers.');
  if (deliveryId.length > 200) throw badRequest('invalid_delivery_id', 'X-GitHub-Delivery is too long.');
  const payload = parsePayload(raw, req.headers.get('content-type') ?? '');
  if (event === 'ping') return Response.json({ status: 'pong', zen: typeof payload.zen === 'string' ? payload.zen : null });
  const action = typeof payload.action === 'string' ? payload.action : null;
  const answer = await acceptDelivery(db, { deliveryId, event, action, payload, bodySha256: bodySha256(raw) });
  const status = answer.status === 'queued' || answer.status === 'ignored' ? 202 : 200;
  return Response.json({ delivery: deliveryId, event, action, ...answer }, { status });
});

// POST /api/v1/catalog/import (scope admin): a Backstage catalog as YAML — raw
// (Content-Type: application/yaml or text/plain, ?source=name) or JSON {yaml, source}.
// Answers the import report: added/changed/removed services and edges, invalid entities with their line.
import { z } from 'zod';
import { apiRoute, parseWith, readTextBody } from '@/lib/api/route';
import { importCatalog } from '@/lib/catalog/import';
import { CATALOG_LIMITS } from '@/lib/catalog/parse';
import { AppError, badRequest } from '@/lib/errors';

export const dynamic = 'force-dynamic';

const JsonBody = z.object({
  yaml: z.string().min(1, 'yaml is required: the catalog-info.yaml text'),
  source: z.string().trim().min(1).max(300).optional(),
});

export const POST = apiRoute({ scope: 'admin' }, async ({ req, db, actor }) => {
  const type = req.headers.get('content-type') ?? '';
  // JSON-escaped YAML is longer than the YAML: allow for it.
  const raw = await readTextBody(req, CATALOG_LIMITS.maxBytes * 2);
  let yaml: string;
  let source = new URL(req.url).searchParams.get('source') ?? undefined;
  if (/^application\/(.+\+)?json\b/i.test(type)) {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw badRequest('invalid_json', `The body is not valid JSON: ${(err as Error).message}`);
    }
    const body = parseWith(JsonBody, value, 'body');
    yaml = body.yaml;
    source = body.source ?? source;
  } else if (/^(application\/(x-)?yaml|text\/(x-)?yaml|text\/plain)\b/i.test(type)) {
    yaml = raw;
  } else {
    throw new AppError(415, 'unsupported_media_type', 'Send the catalog as application/yaml (or JSON {yaml, source}).');
  }
  if (!yaml.trim()) throw badRequest('empty_body', 'The catalog is empty.');
  return importCatalog(db, yaml, { source: source ?? 'upload', actor: { personId: actor.person.id, label: actor.label } });
});

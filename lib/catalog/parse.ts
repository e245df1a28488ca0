// Reads a Backstage catalog (multi-document catalog-info.yaml) into entities, keeping each
// entity's line so a problem can be pointed at. Invalid entities are listed with their line and
// reason; the others are returned for import. Pure: no database.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';

export const CATALOG_KINDS = ['Component', 'Resource', 'System', 'API', 'Group'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

export const DEFAULT_TIER_ANNOTATION = 'countersign.dev/tier';
export const REPO_ANNOTATION = 'github.com/project-slug';
/** Bounds on what one import reads. */
export const CATALOG_LIMITS = { maxBytes: 5 * 1024 * 1024, maxEntities: 20_000 };

export interface EntityRef {
  kind: string; // lower-case
  namespace: string;
  name: string; // lower-case
}

export interface CatalogEntity {
  kind: CatalogKind;
  name: string;
  namespace: string;
  line: number;
  title: string | null;
  description: string | null;
  annotations: Record<string, string>;
  type: string | null;
  owner: EntityRef | null;
  system: string | null;
  dependsOn: EntityRef[];
  providesApis: EntityRef[];
  consumesApis: EntityRef[];
  /** Components and resources: the tier annotation, when present and valid. */
  tier: 1 | 2 | 3 | null;
  /** Groups: the display name. */
  displayName: string | null;
}

export interface CatalogProblem {
  line: number;
  /** `kind:namespace/name` when known. */
  entity: string | null;
  reason: string;
}

export interface ParsedCatalog {
  entities: CatalogEntity[];
  invalid: CatalogProblem[];
  /** Entities of kinds Countersign does not use (User, Location, Template, Domain…). */
  ignored: { line: number; entity: string }[];
}

const NAME_RE = /^[A-Za-z0-9]([-_.]?[A-Za-z0-9])*$/;
const API_VERSION_RE = /^backstage\.io\/v1(alpha1|beta1)$/;

/** `[kind:][namespace/]name`, with the kind a field implies when the reference omits it. */
export function parseEntityRef(value: string, defaultKind: string): EntityRef | null {
  const m = /^(?:([A-Za-z][A-Za-z0-9]*):)?(?:([A-Za-z0-9][-_.A-Za-z0-9]*)\/)?([A-Za-z0-9][-_.A-Za-z0-9]*)$/.exec(value.trim());
  if (!m) return null;
  return { kind: (m[1] ?? defaultKind).toLowerCase(), namespace: (m[2] ?? 'default').toLowerCase(), name: m[3]!.toLowerCase() };
}

export function refKey(r: EntityRef): string {
  return `${r.kind}:${r.namespace}/${r.name}`;
}

/** Tier from the annotation: "1", "tier-1", "Tier 1", "t1". */
export function parseTier(value: string): 1 | 2 | 3 | null {
  const m = /^(?:tier[\s_-]?|t)?([123])$/i.exec(value.trim());
  return m ? (Number(m[1]) as 1 | 2 | 3) : null;
}

class EntityError extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[] = [],
  ) {
    super(message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(obj: Record<string, unknown>, key: string, path: (string | number)[]): string | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new EntityError(`${[...path, key].join('.')} must be a string`, [...path, key]);
  return v;
}

function refList(spec: Record<string, unknown>, key: string, defaultKind: string): EntityRef[] {
  const v = spec[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new EntityError(`spec.${key} must be a list of entity references`, ['spec', key]);
  return v.map((item, i) => {
    if (typeof item !== 'string') throw new EntityError(`spec.${key}[${i}] must be an entity reference like component:default/checkout`, ['spec', key, i]);
    const ref = parseEntityRef(item, defaultKind);
    if (!ref) throw new EntityError(`spec.${key}[${i}] "${item}" is not an entity reference (kind:namespace/name)`, ['spec', key, i]);
    return ref;
  });
}

function readEntity(raw: unknown, line: number, tierAnnotation: string): CatalogEntity | { ignored: string } {
  if (!isRecord(raw)) throw new EntityError('not an entity: expected a mapping with apiVersion, kind, metadata and spec');
  const kind = raw.kind;
  if (typeof kind !== 'string' || !kind) throw new EntityError('kind is missing', ['kind']);
  const metadata = raw.metadata;
  if (!isRecord(metadata)) throw new EntityError('metadata is missing', ['metadata']);
  const name = metadata.name;
  if (typeof name !== 'string' || !name) throw new EntityError('metadata.name is missing', ['metadata']);
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : 'default';
  if (!(CATALOG_KINDS as readonly string[]).includes(kind)) return { ignored: `${kind.toLowerCase()}:${namespace}/${name}` };
  if (typeof raw.apiVersion !== 'string' || !API_VERSION_RE.test(raw.apiVersion)) {
    throw new EntityError(`apiVersion must be backstage.io/v1alpha1 (or v1beta1), not ${JSON.stringify(raw.apiVersion ?? null)}`, ['apiVersion']);
  }
  if (!NAME_RE.test(name) || name.length > 63) {
    throw new EntityError(`metadata.name "${name}" is not a valid name (letters, digits and -_. between them, at most 63 characters)`, ['metadata', 'name']);
  }
  const annotationsRaw = metadata.annotations ?? {};
  if (!isRecord(annotationsRaw)) throw new EntityError('metadata.annotations must be a mapping', ['metadata', 'annotations']);
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotationsRaw)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new EntityError(`annotation ${k} must be a string`, ['metadata', 'annotations', k]);
    annotations[k] = String(v);
  }
  const spec = raw.spec ?? {};
  if (!isRecord(spec)) throw new EntityError('spec must be a mapping', ['spec']);

  let tier: 1 | 2 | 3 | null = null;
  if ((kind === 'Component' || kind === 'Resource') && annotations[tierAnnotation] !== undefined) {
    tier = parseTier(annotations[tierAnnotation]!);
    if (tier === null) throw new EntityError(`annotation ${tierAnnotation} must be 1, 2 or 3, not "${annotations[tierAnnotation]}"`, ['metadata', 'annotations', tierAnnotation]);
  }
  const ownerText = optionalString(spec, 'owner', ['spec']);
  const owner = ownerText ? parseEntityRef(ownerText, 'group') : null;
  if (ownerText && !owner) throw new EntityError(`spec.owner "${ownerText}" is not an entity reference`, ['spec', 'owner']);
  const systemText = optionalString(spec, 'system', ['spec']);
  const systemRef = systemText ? parseEntityRef(systemText, 'system') : null;
  if (systemText && !systemRef) throw new EntityError(`spec.system "${systemText}" is not an entity reference`, ['spec', 'system']);
  const profile = isRecord(spec.profile) ? spec.profile : {};

  return {
    kind: kind as CatalogKind,
    name,
    namespace,
    line,
    title: optionalString(metadata, 'title', ['metadata']),
    description: optionalString(metadata, 'description', ['metadata']),
    annotations,
    type: optionalString(spec, 'type', ['spec']),
    owner,
    system: systemRef?.name ?? null,
    dependsOn: refList(spec, 'dependsOn', 'component'),
    providesApis: refList(spec, 'providesApis', 'api'),
    consumesApis: refList(spec, 'consumesApis', 'api'),
    tier,
    displayName: typeof profile.displayName === 'string' ? profile.displayName : null,
  };
}

/** The line of the field at `path` (its key), or of the closest parent that exists. */
function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number {
  let node: unknown = doc.contents;
  let pos = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? doc.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      pos = (pair.key as { range?: [number, number, number] }).range?.[0] ?? pos;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      pos = item.range?.[0] ?? pos;
      node = item;
    } else break;
  }
  return counter.linePos(pos).line;
}

export function parseCatalog(text: string, opts: { tierAnnotation?: string } = {}): ParsedCatalog {
  const tierAnnotation = opts.tierAnnotation ?? DEFAULT_TIER_ANNOTATION;
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const out: ParsedCatalog = { entities: [], invalid: [], ignored: [] };
  // A stream so broken that it is not even a list of documents.
  if (!Array.isArray(docs)) {
    out.invalid.push({ line: 1, entity: null, reason: 'not a YAML document stream' });
    return out;
  }
  const seen = new Map<string, number>();
  for (const doc of docs) {
    const line = lineOf(doc, counter, []);
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const at = counter.linePos(e.pos[0]).line;
      out.invalid.push({ line: at, entity: null, reason: `YAML syntax error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` });
      continue;
    }
    const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (raw === null || raw === undefined) continue; // an empty document (e.g. a trailing ---)
    let entity: CatalogEntity | { ignored: string };
    try {
      entity = readEntity(raw, line, tierAnnotation);
    } catch (err) {
      if (!(err instanceof EntityError)) throw err;
      const m = isRecord(raw) && isRecord(raw.metadata) && typeof raw.metadata.name === 'string' ? raw.metadata.name : null;
      const k = isRecord(raw) && typeof raw.kind === 'string' ? raw.kind.toLowerCase() : null;
      out.invalid.push({ line: lineOf(doc, counter, err.path), entity: m ? `${k ?? '?'}:${m}` : null, reason: err.message });
      continue;
    }
    if ('ignored' in entity) {
      out.ignored.push({ line, entity: entity.ignored });
      continue;
    }
    const key = refKey({ kind: entity.kind.toLowerCase(), namespace: entity.namespace.toLowerCase(), name: entity.name.toLowerCase() });
    const first = seen.get(key);
    if (first !== undefined) {
      out.invalid.push({ line, entity: key, reason: `defined twice: the first definition is on line ${first}` });
      continue;
    }
    seen.set(key, line);
    out.entities.push(entity);
    if (out.entities.length > CATALOG_LIMITS.maxEntities) {
      out.invalid.push({ line, entity: null, reason: `more than ${CATALOG_LIMITS.maxEntities} entities: split the catalog` });
      break;
    }
  }
  return out;
}

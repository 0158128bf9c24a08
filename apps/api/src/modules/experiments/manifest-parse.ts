import { MANIFEST_MAX_BYTES, type ManifestIssue } from '@chaosgate/shared';
import YAML, { type Document, isMap, isNode } from 'yaml';

export type ParsedManifest = { ok: true; object: Record<string, unknown> } | { ok: false; issues: ManifestIssue[] };

/** Aliases a legitimate manifest could need; a "billion laughs" document needs thousands. */
const MAX_ALIAS_COUNT = 16;
/** Nesting deeper than any CRD schema goes is refused before anything walks it recursively. */
const MAX_DEPTH = 48;

const invalid = (message: string, path = '$'): ParsedManifest => ({
  ok: false,
  issues: [{ path, message, code: 'CG_MANIFEST_INVALID_YAML' }],
});

/**
 * Parses the text of one manifest (YAML or JSON) safely: size-limited, exactly one document,
 * a mapping at the root, YAML 1.2 core schema only (no custom or language tags), duplicate keys
 * refused and alias expansion capped, so a "YAML bomb" is an error and never a memory spike.
 */
export function parseManifestText(text: string): ParsedManifest {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MANIFEST_MAX_BYTES) {
    return {
      ok: false,
      issues: [
        {
          path: '$',
          message: `manifest is ${bytes} bytes; the limit is ${MANIFEST_MAX_BYTES}`,
          code: 'CG_MANIFEST_TOO_LARGE',
        },
      ],
    };
  }
  let docs: Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text, { version: '1.2', schema: 'core', uniqueKeys: true, prettyErrors: true });
  } catch (err) {
    return invalid(`not parseable: ${(err as Error).message}`);
  }
  if (!Array.isArray(docs)) return invalid('not YAML: an empty or comment-only text');
  const nonEmpty = docs.filter((d) => d.errors.length > 0 || d.contents !== null);
  if (nonEmpty.length !== 1) {
    return invalid(`expected exactly one YAML document, found ${nonEmpty.length}`);
  }
  return documentToObject(nonEmpty[0] as Document.Parsed);
}

function documentToObject(doc: Document.Parsed): ParsedManifest {
  const error = doc.errors[0];
  if (error) return invalid(error.message.split('\n')[0] ?? error.message);
  const tagged = findExplicitTag(doc);
  if (tagged) return invalid(`tag ${tagged} is not allowed; write plain YAML`);
  if (!isMap(doc.contents)) return invalid('the document must be a mapping (apiVersion, kind, metadata, spec)');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    return invalid(`rejected: ${(err as Error).message}`);
  }
  if (depthOf(value) > MAX_DEPTH) return invalid(`nested deeper than ${MAX_DEPTH} levels`);
  return { ok: true, object: value as Record<string, unknown> };
}

function findExplicitTag(doc: Document.Parsed): string | null {
  let found: string | null = null;
  YAML.visit(doc, {
    Node(_key, node) {
      if (isNode(node) && node.tag !== undefined && !isCoreTag(node.tag)) {
        found = node.tag;
        return YAML.visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

function isCoreTag(tag: string): boolean {
  return CORE_TAGS.has(tag);
}

/** Depth of a plain JSON value, iteratively (no recursion on untrusted input). */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > max) max = depth;
    if (depth > MAX_DEPTH) break;
    if (typeof node === 'object' && node !== null) {
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
    }
  }
  return max;
}

import type { JsonSchema } from './crd-catalog';

/** Marks the `anyOf` chaosgate writes for `x-kubernetes-int-or-string`, to word its error. */
export const INT_OR_STRING = 'x-chaosgate-int-or-string';

/**
 * Turns a CRD's structural OpenAPI v3 schema into plain JSON Schema for ajv, the way the
 * apiserver reads it: `x-kubernetes-int-or-string` accepts an integer or a string, `nullable`
 * admits null, `x-kubernetes-preserve-unknown-fields` and embedded resources stay open, and every
 * other object with declared properties is closed, so a misspelt field is reported (the apiserver
 * would silently prune it) instead of running something other than what was meant.
 */
export function toAjvSchema(schema: JsonSchema): JsonSchema {
  return convert(schema);
}

function convert(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable' || key === 'description') continue;
    out[key] = convertKeyword(key, value);
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    delete out.anyOf;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
    out[INT_OR_STRING] = true;
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  exclusiveBound(out, 'exclusiveMinimum', 'minimum');
  exclusiveBound(out, 'exclusiveMaximum', 'maximum');
  const open = node['x-kubernetes-preserve-unknown-fields'] === true || node['x-kubernetes-embedded-resource'] === true;
  if (!open && out.properties !== undefined && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; JSON Schema wants the number. */
function exclusiveBound(out: JsonSchema, exclusive: string, bound: string): void {
  if (typeof out[exclusive] !== 'boolean') return;
  if (out[exclusive] === true && typeof out[bound] === 'number') {
    out[exclusive] = out[bound];
    delete out[bound];
  } else {
    delete out[exclusive];
  }
}

function convertKeyword(key: string, value: unknown): unknown {
  switch (key) {
    case 'properties':
    case 'patternProperties':
    case 'definitions':
      return mapValues(value as Record<string, JsonSchema>, convert);
    case 'items':
      return Array.isArray(value) ? value.map((v) => convert(v as JsonSchema)) : convert(value as JsonSchema);
    case 'additionalProperties':
    case 'not':
      return typeof value === 'object' && value !== null ? convert(value as JsonSchema) : value;
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
      return (value as JsonSchema[]).map(convert);
    default:
      return value;
  }
}

function mapValues<T, U>(record: Record<string, T>, fn: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

import type { ManifestIssue } from '@chaosgate/shared';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ChaosCrdCatalog, JsonSchema } from './crd-catalog';
import { formatJsonPath, pointerToSegments } from './json-path';
import { INT_OR_STRING, toAjvSchema } from './schema-compile';

/** Checks a chaos-mesh.org object against its kind's CRD schema. */
export interface ChaosSchemaValidator {
  /** Kinds the catalogue describes. */
  kinds(): string[];
  /** Every schema violation of `object` (its `metadata` and `status` are not checked here). */
  validate(kind: string, object: Record<string, unknown>): ManifestIssue[];
}

/** The largest number of violations reported for one manifest. */
const MAX_ISSUES = 50;

/**
 * Compiles one ajv validator per kind on first use and keeps it. `metadata` is left to the
 * composer (the name and namespace are chaosgate's) and `status` is never the user's.
 */
export function createChaosSchemaValidator(catalog: ChaosCrdCatalog): ChaosSchemaValidator {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, logger: false, validateSchema: false });
  addFormats.default(ajv);
  const compiled = new Map<string, ValidateFunction>();

  function validatorFor(kind: string): ValidateFunction | undefined {
    const existing = compiled.get(kind);
    if (existing) return existing;
    const crd = catalog.get(kind);
    if (!crd) return undefined;
    const fn = ajv.compile(toAjvSchema(withoutMetadataAndStatus(crd.schema)));
    compiled.set(kind, fn);
    return fn;
  }

  return {
    kinds: () => [...catalog.keys()].sort(),
    validate(kind, object) {
      const fn = validatorFor(kind);
      if (!fn) return [{ path: 'kind', message: `no schema for kind ${kind}`, code: 'CG_MANIFEST_NOT_CHAOS_KIND' }];
      const { metadata: _m, status: _s, ...checked } = object;
      if (fn(checked)) return [];
      return toIssues(fn.errors ?? []).slice(0, MAX_ISSUES);
    },
  };
}

function withoutMetadataAndStatus(schema: JsonSchema): JsonSchema {
  const properties = { ...(schema.properties as Record<string, JsonSchema> | undefined) };
  delete properties.metadata;
  delete properties.status;
  return { ...schema, properties };
}

/** ajv errors as composer issues: one per path and problem, the noise of `anyOf` branches removed. */
export function toIssues(errors: readonly ErrorObject[]): ManifestIssue[] {
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath));
  const seen = new Set<string>();
  const issues: ManifestIssue[] = [];
  for (const error of errors) {
    if ([...anyOfAt].some((p) => error.schemaPath.startsWith(`${p}/`))) continue;
    const issue = toIssue(error);
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function toIssue(error: ErrorObject): ManifestIssue {
  const segments = pointerToSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    segments.push(String(params.additionalProperty));
    message = 'is not a field of this kind';
  } else if (error.keyword === 'required') {
    segments.push(String(params.missingProperty));
    message = 'is required';
  } else if (error.keyword === 'enum') {
    message = `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
  } else if (error.keyword === 'anyOf' && (error.parentSchema as JsonSchema | undefined)?.[INT_OR_STRING]) {
    message = 'must be an integer or a string';
  }
  return { path: formatJsonPath(segments), message, code: 'CG_MANIFEST_SCHEMA_VIOLATION' };
}

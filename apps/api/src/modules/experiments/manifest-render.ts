import { createHash } from 'node:crypto';
import { CHAOS_API_VERSION, type Environment, MANAGED_BY_VALUE, RUN_LABELS } from '@chaosgate/shared';
import canonicalize from 'canonicalize';
import YAML from 'yaml';
import { asObject, inspectManifest, type JsonObject, selectorsOf } from './manifest-inspect';

export interface RenderInput {
  /** A manifest that passed validation. */
  manifest: JsonObject;
  environment: Environment;
  submittedBy: string;
}

/** The exact object chaosgate applies, its YAML and hash, and the identity derived from it. */
export interface RenderedManifest {
  manifest: JsonObject;
  yaml: string;
  hash: string;
  /** Content-derived key: the `chaosgate.dev/run-id` label and the CR name's suffix. */
  runKey: string;
  crName: string;
  warnings: string[];
}

/** Label and annotation keys only chaosgate writes. */
const RESERVED_KEY = (key: string) => key.startsWith('chaosgate.dev/') || key === RUN_LABELS.managedBy;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** SHA-256 of the RFC 8785 canonical JSON of `value`: the preview hash. */
export function hashManifest(value: JsonObject): string {
  return sha256Hex(canonicalize(value) ?? '');
}

/**
 * Renders the manifest chaosgate will apply, deterministically from its content: the chaos
 * namespace of the environment, every selector pinned to the validated namespaces (the
 * environment's target namespaces when none were given), the ownership labels and annotation,
 * and a name derived from the content. The same input always renders the same bytes and hash, so
 * submit and execute can prove that what runs is what was previewed.
 */
export function renderManifest(input: RenderInput): RenderedManifest {
  const { environment: env, submittedBy } = input;
  const source = input.manifest;
  const warnings: string[] = [];
  const sourceMeta = asObject(source.metadata) ?? {};
  const spec = structuredClone(asObject(source.spec) ?? {});
  const cloned: JsonObject = { apiVersion: CHAOS_API_VERSION, kind: source.kind, spec };
  for (const selector of inspectManifest(cloned).specs.flatMap(selectorsOf)) {
    if (!Array.isArray(selector.selector.namespaces) || selector.selector.namespaces.length === 0) {
      selector.selector.namespaces = [...env.targetNamespaces];
    }
  }
  const labels = userEntries(sourceMeta.labels);
  const annotations = userEntries(sourceMeta.annotations);
  const runKey = sha256Hex(
    canonicalize({ environment: env.name, submittedBy, kind: source.kind, labels, annotations, spec }) ?? '',
  ).slice(0, 10);
  const crName = `cg-${runKey}`;
  const manifest: JsonObject = {
    apiVersion: CHAOS_API_VERSION,
    kind: source.kind,
    metadata: {
      name: crName,
      namespace: env.chaosNamespace,
      labels: {
        ...labels,
        [RUN_LABELS.managedBy]: MANAGED_BY_VALUE,
        [RUN_LABELS.runId]: runKey,
        [RUN_LABELS.environment]: env.name,
      },
      annotations: { ...annotations, [RUN_LABELS.submittedBy]: submittedBy },
    },
    spec,
  };
  if (typeof sourceMeta.name === 'string' && sourceMeta.name !== crName) {
    warnings.push(`metadata.name "${sourceMeta.name}" is replaced by ${crName}`);
  }
  if (typeof sourceMeta.namespace === 'string' && sourceMeta.namespace !== env.chaosNamespace) {
    warnings.push(`metadata.namespace "${sourceMeta.namespace}" is replaced by ${env.chaosNamespace}`);
  }
  if (source.status !== undefined) warnings.push('status is ignored');
  return { manifest, yaml: YAML.stringify(manifest), hash: hashManifest(manifest), runKey, crName, warnings };
}

function userEntries(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(asObject(value) ?? {})
      .filter(([key]) => !RESERVED_KEY(key))
      .map(([key, v]) => [key, String(v)]),
  );
}

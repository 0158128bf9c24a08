import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

/** JSON Schema as found in a CRD (OpenAPI v3 flavoured); walked, never trusted for types. */
export type JsonSchema = { [keyword: string]: unknown };

/** One chaos-mesh.org kind as described by its CustomResourceDefinition. */
export interface ChaosCrdKind {
  kind: string;
  plural: string;
  group: string;
  version: string;
  namespaced: boolean;
  /** `openAPIV3Schema` of the served storage version. */
  schema: JsonSchema;
}

export type ChaosCrdCatalog = ReadonlyMap<string, ChaosCrdKind>;

/** The Chaos Mesh CRDs chaosgate validates against, pinned in the repository. */
export function pinnedCrdPath(): string {
  return (
    process.env.CHAOSGATE_CHAOS_CRDS ??
    path.resolve(import.meta.dirname, '../../../../deploy/local-cluster/crds/chaos-mesh-v2.8.3.yaml')
  );
}

const cache = new Map<string, Promise<ChaosCrdCatalog>>();

/**
 * Reads the chaos-mesh.org CRDs of a multi-document YAML file into a catalogue by kind. Parsed
 * once per process and file (the pinned file is ~3 MB).
 */
export function loadChaosCrdCatalog(file: string = pinnedCrdPath()): Promise<ChaosCrdCatalog> {
  let pending = cache.get(file);
  if (!pending) {
    pending = fs.readFile(file, 'utf8').then(parseCrdCatalog);
    pending.catch(() => cache.delete(file));
    cache.set(file, pending);
  }
  return pending;
}

/** Builds the catalogue from the text of a multi-document CRD file (pure). */
export function parseCrdCatalog(text: string): ChaosCrdCatalog {
  const catalog = new Map<string, ChaosCrdKind>();
  for (const doc of YAML.parseAllDocuments(text)) {
    const crd = asRecord(doc.toJS());
    const spec = asRecord(crd?.spec);
    if (crd?.kind !== 'CustomResourceDefinition' || spec?.group !== 'chaos-mesh.org') continue;
    const names = asRecord(spec.names);
    const versions = Array.isArray(spec.versions) ? spec.versions.map(asRecord) : [];
    const version = versions.find((v) => v?.storage === true) ?? versions.find((v) => v?.served === true);
    const schema = asRecord(asRecord(version?.schema)?.openAPIV3Schema);
    if (typeof names?.kind !== 'string' || typeof names.plural !== 'string' || !version || !schema) continue;
    catalog.set(names.kind, {
      kind: names.kind,
      plural: names.plural,
      group: 'chaos-mesh.org',
      version: String(version.name),
      namespaced: spec.scope !== 'Cluster',
      schema,
    });
  }
  return catalog;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

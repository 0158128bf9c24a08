import type { TargetSummary } from '@chaosgate/shared';
import { formatJsonPath, type PathSegment } from '../../chaos-schema/json-path';

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** One chaos spec inside a manifest: the manifest's own, or one a Schedule/Workflow embeds. */
export interface EmbeddedSpec {
  kind: string;
  path: PathSegment[];
  spec: JsonObject;
}

/** A pod selector with its mode, at `path` (the `selector` object itself). */
export interface SelectorAt {
  path: PathSegment[];
  selector: JsonObject;
  mode: string | null;
  value: string | null;
}

/** A workflow template that is not a chaos spec but still needs a rule (Task, deadlines, …). */
export interface WorkflowTemplateAt {
  path: PathSegment[];
  template: JsonObject;
}

export interface ManifestShape {
  specs: EmbeddedSpec[];
  templates: WorkflowTemplateAt[];
}

/** Schedule and Workflow name their embedded spec after the kind, with these exceptions. */
const FIELD_EXCEPTIONS: Record<string, string> = {
  AWSChaos: 'awsChaos',
  DNSChaos: 'dnsChaos',
  GCPChaos: 'gcpChaos',
  HTTPChaos: 'httpChaos',
  IOChaos: 'ioChaos',
  JVMChaos: 'jvmChaos',
  PhysicalMachineChaos: 'physicalmachineChaos',
};

/** The field of a Schedule or Workflow template that holds a spec of `kind`. */
export function embeddedField(kind: string): string {
  return FIELD_EXCEPTIONS[kind] ?? kind.charAt(0).toLowerCase() + kind.slice(1);
}

export function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

const asString = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;

/**
 * Every chaos spec a manifest will create, wherever it sits: the spec of a plain chaos object,
 * `spec.<type>` of a Schedule, each chaos template of a Workflow (and of Schedules inside it).
 */
export function inspectManifest(manifest: JsonObject): ManifestShape {
  const shape: ManifestShape = { specs: [], templates: [] };
  const kind = String(manifest.kind ?? '');
  collect(kind, asObject(manifest.spec) ?? {}, ['spec'], shape, 0);
  return shape;
}

function collect(kind: string, spec: JsonObject, path: PathSegment[], shape: ManifestShape, depth: number): void {
  if (depth > 8) return;
  if (kind === 'Schedule') {
    const type = asString(spec.type);
    if (!type) return;
    const field = type === 'Workflow' ? 'workflow' : embeddedField(type);
    const inner = asObject(spec[field]);
    if (inner) collect(type, inner, [...path, field], shape, depth + 1);
    return;
  }
  if (kind === 'Workflow') {
    const templates = Array.isArray(spec.templates) ? spec.templates : [];
    templates.forEach((t, i) => {
      const template = asObject(t);
      if (!template) return;
      const at: PathSegment[] = [...path, 'templates', i];
      shape.templates.push({ path: at, template });
      const type = asString(template.templateType) ?? '';
      if (type !== 'Schedule' && type !== 'StatusCheck' && !type.endsWith('Chaos')) return;
      const field = type === 'Schedule' ? 'schedule' : embeddedField(type);
      const inner = asObject(template[field]);
      if (inner) collect(type, inner, [...at, field], shape, depth + 1);
    });
    return;
  }
  shape.specs.push({ kind, path, spec });
}

/**
 * The pod selectors of one chaos spec: `selector` (with the spec's mode) and every nested
 * `{ selector, mode }` pair such as NetworkChaos `target`, as Chaos Mesh's GetSelectorSpecs does.
 */
export function selectorsOf(embedded: EmbeddedSpec): SelectorAt[] {
  const out: SelectorAt[] = [];
  const own = asObject(embedded.spec.selector);
  if (own) {
    out.push({
      path: [...embedded.path, 'selector'],
      selector: own,
      mode: asString(embedded.spec.mode),
      value: asString(embedded.spec.value),
    });
  }
  for (const [key, value] of Object.entries(embedded.spec)) {
    const nested = asObject(value);
    const selector = asObject(nested?.selector);
    if (key === 'selector' || !nested || !selector || nested.mode === undefined) continue;
    out.push({
      path: [...embedded.path, key, 'selector'],
      selector,
      mode: asString(nested.mode),
      value: asString(nested.value),
    });
  }
  return out;
}

/** The first `spec.action`-like word of a manifest (or the inner type of a Schedule/Workflow). */
export function actionOf(manifest: JsonObject, shape: ManifestShape = inspectManifest(manifest)): string | null {
  const first = shape.specs[0];
  if (!first) return null;
  const action = asString(first.spec.action);
  if (manifest.kind === 'Schedule' || manifest.kind === 'Workflow') {
    return action ? `${first.kind}/${action}` : first.kind;
  }
  return action;
}

const stringMap = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(asObject(value) ?? {}).map(([k, v]) => [k, String(v)]));

/** What each selector of the manifest reaches, for lists and the run detail. */
export function summarizeTargets(shape: ManifestShape): TargetSummary[] {
  return shape.specs.flatMap(selectorsOf).map(({ path, selector, mode, value }) => ({
    path: formatJsonPath(path),
    mode,
    value,
    namespaces: Array.isArray(selector.namespaces) ? selector.namespaces.map(String) : [],
    labelSelectors: stringMap(selector.labelSelectors),
    expressionSelectors: (Array.isArray(selector.expressionSelectors) ? selector.expressionSelectors : [])
      .map(asObject)
      .filter((e): e is JsonObject => e !== null)
      .map((e) => ({
        key: String(e.key ?? ''),
        operator: String(e.operator ?? ''),
        ...(Array.isArray(e.values) ? { values: e.values.map(String) } : {}),
      })),
    annotationSelectors: stringMap(selector.annotationSelectors),
    fieldSelectors: stringMap(selector.fieldSelectors),
    pods: Object.fromEntries(
      Object.entries(asObject(selector.pods) ?? {}).map(([ns, names]) => [
        ns,
        Array.isArray(names) ? names.map(String) : [],
      ]),
    ),
  }));
}

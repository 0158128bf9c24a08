import { CHAOS_API_VERSION } from '../runs';
import { buildManifest } from './build';
import {
  type ExperimentForm,
  type FaultForm,
  faultFormSchema,
  isFormKind,
  type PodTarget,
  type SelectorMode,
  selectorModeSchema,
} from './form';
import { differingLeaves } from './manifest-leaves';

/** Why a manifest stays in YAML: its reason code and the manifest paths concerned. */
export interface ImportUnsupported {
  /**
   * `not-a-manifest`: not an object with apiVersion/kind/spec; `api-version`: not
   * chaos-mesh.org/v1alpha1; `kind`: a kind the form does not compose (Schedule, Workflow, …);
   * `invalid`: a value the form cannot hold (wrong type, unknown action); `fields`: fields the
   * form has no input for, which importing would silently drop.
   */
  reason: 'not-a-manifest' | 'api-version' | 'kind' | 'invalid' | 'fields';
  kind?: string;
  paths: string[];
}

export type ImportResult = { form: ExperimentForm } | { unsupported: ImportUnsupported };

type Data = Record<string, unknown>;

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Scalars as text: YAML readers turn `correlation: 25` into a number where the CRD wants text. */
function text(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** Integers written as text (`limit: "100"`) as numbers; anything else unchanged. */
function int(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
}

function texts(value: unknown): unknown {
  return Array.isArray(value) ? value.map(text) : value;
}

/** Applies `convert` to the named fields of an object, keeping other values as they are. */
function pick(value: unknown, convert: Record<string, (v: unknown) => unknown>): unknown {
  if (!isData(value)) return value;
  return Object.fromEntries(
    Object.entries(convert)
      .filter(([key]) => value[key] !== undefined)
      .map(([key, fn]) => [key, fn(value[key])]),
  );
}

function labelMap(value: unknown): Record<string, string> {
  if (!isData(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(text(v))]));
}

function readTarget(spec: Data): Omit<PodTarget, 'mode'> & { mode: unknown } {
  const selector = isData(spec.selector) ? spec.selector : {};
  const namespaces = Array.isArray(selector.namespaces) ? selector.namespaces : [];
  const value = text(spec.value);
  return {
    namespace: typeof namespaces[0] === 'string' ? namespaces[0] : '',
    selector: labelMap(selector.labelSelectors),
    mode: spec.mode,
    value: typeof value === 'string' ? value : undefined,
  };
}

const NETWORK_DETAILS: Record<string, Record<string, (v: unknown) => unknown>> = {
  delay: { latency: text, jitter: text, correlation: text },
  loss: { loss: text, correlation: text },
  duplicate: { duplicate: text, correlation: text },
  corrupt: { corrupt: text, correlation: text },
  bandwidth: { rate: text, limit: int, buffer: int, peakrate: int, minburst: int },
};

function networkFault(spec: Data): Data {
  const action = spec.action;
  const fault: Data = { kind: 'NetworkChaos', action, direction: spec.direction };
  if (typeof action === 'string' && NETWORK_DETAILS[action]) {
    fault[action] = pick(spec[action], NETWORK_DETAILS[action]);
  }
  if (isData(spec.target)) {
    const target = readTarget(spec.target);
    fault.target = { ...target, value: target.value };
  }
  return fault;
}

/** HTTPChaos names its fault by which field is set; exactly one of them must be. */
function httpFault(spec: Data): Data {
  const present = (['abort', 'delay', 'replace', 'patch'] as const).filter((key) =>
    key === 'abort' ? spec.abort === true : spec[key] !== undefined,
  );
  const fault: Data = {
    kind: 'HTTPChaos',
    action: present.length === 1 ? present[0] : undefined,
    target: spec.target,
    port: int(spec.port),
    path: text(spec.path),
    method: spec.method,
  };
  if (present[0] === 'delay') fault.delay = text(spec.delay);
  if (present[0] === 'replace') {
    fault.replace = pick(spec.replace, { code: int, body: text, path: text, method: (v) => v });
  }
  if (present[0] === 'patch') fault.patch = spec.patch;
  return fault;
}

/** The fault part of the form as read from `spec`, before the form schema checks it. */
function readFault(kind: string, spec: Data): Data {
  switch (kind) {
    case 'PodChaos':
      return {
        kind,
        action: spec.action,
        gracePeriod: int(spec.gracePeriod),
        containerNames: spec.action === 'container-kill' ? texts(spec.containerNames) : undefined,
      };
    case 'NetworkChaos':
      return networkFault(spec);
    case 'StressChaos': {
      const stressors = isData(spec.stressors) ? spec.stressors : {};
      return {
        kind,
        cpu: pick(stressors.cpu, { workers: int, load: int }),
        memory: pick(stressors.memory, { workers: int, size: text }),
      };
    }
    case 'IOChaos':
      return {
        kind,
        action: spec.action,
        volumePath: spec.volumePath,
        path: text(spec.path),
        percent: int(spec.percent),
        methods: spec.methods,
        delay: text(spec.delay),
        errno: int(spec.errno),
        attr: pick(spec.attr, { perm: int, size: int, uid: int, gid: int, nlink: int }),
      };
    case 'HTTPChaos':
      return httpFault(spec);
    case 'DNSChaos':
      return { kind, action: spec.action, patterns: texts(spec.patterns) };
    case 'TimeChaos':
      return { kind, timeOffset: text(spec.timeOffset), clockIds: spec.clockIds };
    default:
      return {
        kind,
        action: spec.action,
        class: spec.class,
        method: spec.method,
        exception: text(spec.exception),
        latency: int(spec.latency),
        returnValue: text(spec.returnValue),
        cpuCount: int(spec.cpuCount),
        memType: spec.memType,
      };
  }
}

/** Where a form issue sits in the manifest: fault fields live in `spec`, stressors below it. */
function specPath(kind: string, path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  const base =
    kind === 'StressChaos' && (head === 'cpu' || head === 'memory') ? `spec.stressors.${head}` : `spec.${head}`;
  return [base, ...rest].join('.');
}

/** Metadata and status the API server or Chaos Mesh write; an exported object may carry them. */
const SERVER_METADATA = ['namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'];

function withoutServerFields(manifest: Data): Data {
  const metadata = isData(manifest.metadata) ? { ...manifest.metadata } : {};
  for (const key of SERVER_METADATA) delete metadata[key];
  const { status: _status, ...rest } = manifest;
  return { ...rest, metadata };
}

/**
 * Reads a Chaos Mesh custom resource into the composer form when the form can hold all of it.
 * The result is checked by rebuilding the manifest from the form and comparing field by field,
 * so an import never silently drops or changes anything; what does not fit is reported with
 * the manifest paths concerned and stays in YAML. The chaos namespace (`metadata.namespace`)
 * is ignored: the server always puts the object in the environment's chaos namespace.
 */
export function importManifest(manifest: unknown): ImportResult {
  if (!isData(manifest) || !isData(manifest.spec) || typeof manifest.kind !== 'string') {
    return { unsupported: { reason: 'not-a-manifest', paths: [] } };
  }
  const { kind, spec } = manifest;
  if (manifest.apiVersion !== CHAOS_API_VERSION) {
    return { unsupported: { reason: 'api-version', kind, paths: ['apiVersion'] } };
  }
  if (!isFormKind(kind)) return { unsupported: { reason: 'kind', kind, paths: ['kind'] } };

  const fault = faultFormSchema.safeParse(readFault(kind, spec));
  const mode = selectorModeSchema.safeParse(spec.mode);
  const metadata = isData(manifest.metadata) ? manifest.metadata : {};
  const invalid = [
    ...(fault.success ? [] : fault.error.issues.map((issue) => specPath(kind, issue.path))),
    ...(mode.success ? [] : ['spec.mode']),
    ...(spec.duration === undefined || typeof spec.duration === 'string' ? [] : ['spec.duration']),
    ...(metadata.name === undefined || typeof metadata.name === 'string' ? [] : ['metadata.name']),
  ];
  if (!fault.success || !mode.success || invalid.length > 0) {
    return { unsupported: { reason: 'invalid', kind, paths: [...new Set(invalid)].sort() } };
  }

  const form: ExperimentForm = {
    name: typeof metadata.name === 'string' ? metadata.name : '',
    target: { ...readTarget(spec), mode: mode.data as SelectorMode },
    fault: fault.data as FaultForm,
  };
  if (typeof spec.duration === 'string') form.duration = spec.duration;
  if (form.target.value === undefined) delete form.target.value;

  const lost = differingLeaves(withoutServerFields(manifest), buildManifest(form));
  if (lost.length > 0) return { unsupported: { reason: 'fields', kind, paths: lost } };
  return { form };
}

import {
  LABEL_SELECTOR_OPERATORS,
  type LabelSelector,
  type LabelSelectorRequirement,
  type WorkloadKind,
} from '@chaosgate/shared';
import type { KubeObject } from '../../kube';
import type {
  ChaosObject,
  ChaosPodSelector,
  ContainerRefs,
  PodObject,
  ServiceObject,
  WorkloadObject,
} from './topology.model';

/** Chaos Mesh marks a paused experiment with this annotation. */
export const CHAOS_PAUSE_ANNOTATION = 'experiment.chaos-mesh.org/pause';

type Json = Record<string, unknown>;

const record = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const count = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(record(value))) if (typeof v === 'string') out[key] = v;
  return out;
}

function requirements(value: unknown): LabelSelectorRequirement[] {
  return list(value).flatMap((raw) => {
    const r = record(raw);
    const key = text(r.key);
    const operator = LABEL_SELECTOR_OPERATORS.find((op) => op === r.operator);
    if (!key || !operator) return [];
    const values = list(r.values).filter((v): v is string => typeof v === 'string');
    return [{ key, operator, ...(values.length > 0 ? { values } : {}) }];
  });
}

function labelSelector(value: unknown): LabelSelector {
  const raw = record(value);
  return { matchLabels: stringMap(raw.matchLabels), matchExpressions: requirements(raw.matchExpressions) };
}

function containerRefs(value: unknown): ContainerRefs {
  const c = record(value);
  return {
    name: text(c.name) ?? '',
    // Only literal values: `valueFrom` points at Secrets and ConfigMaps chaosgate does not read.
    env: list(c.env).flatMap((e) => {
      const name = text(record(e).name);
      const v = text(record(e).value);
      return name && v ? [{ name, value: v }] : [];
    }),
    args: list(c.args).filter((a): a is string => typeof a === 'string'),
    command: list(c.command).filter((a): a is string => typeof a === 'string'),
  };
}

function replicasOf(kind: WorkloadKind, spec: Json, status: Json): WorkloadObject['replicas'] {
  if (kind === 'DaemonSet') return { ready: count(status.numberReady), desired: count(status.desiredNumberScheduled) };
  return { ready: count(status.readyReplicas), desired: count(spec.replicas, 1) };
}

/** A Deployment, StatefulSet or DaemonSet as the topology reads it. */
export function toWorkloadObject(kind: WorkloadKind, object: KubeObject): WorkloadObject {
  const spec = record(object.spec);
  const template = record(spec.template);
  const podSpec = record(template.spec);
  return {
    kind,
    name: object.metadata.name ?? '',
    namespace: object.metadata.namespace ?? '',
    annotations: stringMap(object.metadata.annotations),
    selector: labelSelector(spec.selector),
    templateLabels: stringMap(record(template.metadata).labels),
    replicas: replicasOf(kind, spec, record(object.status)),
    containers: [...list(podSpec.initContainers), ...list(podSpec.containers)].map(containerRefs),
  };
}

export function toServiceObject(object: KubeObject): ServiceObject {
  return {
    name: object.metadata.name ?? '',
    namespace: object.metadata.namespace ?? '',
    annotations: stringMap(object.metadata.annotations),
    selector: stringMap(record(object.spec).selector),
  };
}

export function toPodObject(object: KubeObject): PodObject {
  const status = record(object.status);
  const ready = list(status.conditions).some((c) => record(c).type === 'Ready' && record(c).status === 'True');
  return {
    name: object.metadata.name ?? '',
    namespace: object.metadata.namespace ?? '',
    labels: stringMap(object.metadata.labels),
    phase: text(status.phase) ?? 'Unknown',
    ready,
    nodeName: text(record(object.spec).nodeName) ?? null,
  };
}

function chaosSelector(value: unknown): ChaosPodSelector | null {
  if (typeof value !== 'object' || value === null) return null;
  const s = record(value);
  const pods: Record<string, string[]> = {};
  for (const [ns, names] of Object.entries(record(s.pods))) {
    pods[ns] = list(names).filter((n): n is string => typeof n === 'string');
  }
  return {
    namespaces: list(s.namespaces).filter((n): n is string => typeof n === 'string'),
    labelSelectors: stringMap(s.labelSelectors),
    expressionSelectors: requirements(s.expressionSelectors),
    pods,
  };
}

/**
 * A chaos object as the topology reads it: its pod selectors (`spec.selector`, and
 * `spec.target.selector` of NetworkChaos) and whether it still targets anything.
 */
export function toChaosObject(kind: string, object: KubeObject): ChaosObject {
  const spec = record(object.spec);
  const selectors = [chaosSelector(spec.selector), chaosSelector(record(spec.target).selector)].filter(
    (s): s is ChaosPodSelector => s !== null,
  );
  const desiredPhase = text(record(record(object.status).experiment).desiredPhase);
  let phase: ChaosObject['phase'] = 'running';
  if (object.metadata.deletionTimestamp) phase = 'finished';
  else if (object.metadata.annotations?.[CHAOS_PAUSE_ANNOTATION] === 'true') phase = 'paused';
  else if (desiredPhase === 'Stop') phase = 'finished';
  return {
    kind,
    name: object.metadata.name ?? '',
    namespace: object.metadata.namespace ?? '',
    selectors,
    phase,
  };
}

/**
 * Maps raw objects once: informer stores keep the same object until it changes, so a map
 * rebuilt after one event re-maps only that object.
 */
export function memoizeMapper<T>(map: (object: KubeObject) => T): (object: KubeObject) => T {
  const cache = new WeakMap<KubeObject, T>();
  return (object) => {
    let mapped = cache.get(object);
    if (mapped === undefined) {
      mapped = map(object);
      cache.set(object, mapped);
    }
    return mapped;
  };
}

import type { KubeObject } from '../../kube';
import { asObject, type JsonObject, type SelectorAt } from './manifest-inspect';

/** The parts of a Pod a Chaos Mesh selector looks at. */
export interface PodFacts {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nodeName: string | null;
  phase: string | null;
}

/** The selector-relevant facts of a Pod object. */
export function podFacts(pod: KubeObject): PodFacts {
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  const status = (pod.status ?? {}) as { phase?: string };
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    labels: pod.metadata.labels ?? {},
    annotations: pod.metadata.annotations ?? {},
    nodeName: spec.nodeName ?? null,
    phase: status.phase ?? null,
  };
}

const stringMap = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(asObject(value) ?? {}).map(([k, v]) => [k, String(v)]));

function matchesExpression(labels: Record<string, string>, expression: JsonObject): boolean {
  const key = String(expression.key ?? '');
  const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
  const has = Object.hasOwn(labels, key);
  switch (expression.operator) {
    case 'In':
      return has && values.includes(labels[key] ?? '');
    case 'NotIn':
      return !has || !values.includes(labels[key] ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

const FIELDS: Record<string, (pod: PodFacts) => string | null> = {
  'metadata.name': (p) => p.name,
  'metadata.namespace': (p) => p.namespace,
  'spec.nodeName': (p) => p.nodeName,
  'status.phase': (p) => p.phase,
};

/**
 * Whether `pod` matches a Chaos Mesh pod selector (namespaces already pinned). An explicit pod
 * list wins over every other field, as in Chaos Mesh. Field selectors chaosgate cannot evaluate
 * count as matching, so the count is an upper bound, never an underestimate.
 */
export function matchesSelector(pod: PodFacts, selector: JsonObject): boolean {
  const pods = asObject(selector.pods);
  if (pods && Object.keys(pods).length > 0) {
    const names = pods[pod.namespace];
    return Array.isArray(names) && names.map(String).includes(pod.name);
  }
  const namespaces = Array.isArray(selector.namespaces) ? selector.namespaces.map(String) : [];
  if (namespaces.length > 0 && !namespaces.includes(pod.namespace)) return false;
  for (const [k, v] of Object.entries(stringMap(selector.labelSelectors))) if (pod.labels[k] !== v) return false;
  for (const [k, v] of Object.entries(stringMap(selector.annotationSelectors)))
    if (pod.annotations[k] !== v) return false;
  const expressions = Array.isArray(selector.expressionSelectors) ? selector.expressionSelectors : [];
  for (const e of expressions) if (!matchesExpression(pod.labels, asObject(e) ?? {})) return false;
  for (const [field, want] of Object.entries(stringMap(selector.fieldSelectors))) {
    const read = FIELDS[field];
    if (read && read(pod) !== want) return false;
  }
  const phases = Array.isArray(selector.podPhaseSelectors) ? selector.podPhaseSelectors.map(String) : [];
  return phases.length === 0 || phases.includes(pod.phase ?? '');
}

/** How many of `matched` pods a selector mode affects at most (Chaos Mesh's selector modes). */
export function affectedByMode(matched: number, mode: string | null, value: string | null): number {
  const n = Number(value ?? '');
  switch (mode) {
    case 'one':
      return Math.min(1, matched);
    case 'fixed':
      return Number.isFinite(n) ? Math.min(Math.max(0, Math.floor(n)), matched) : matched;
    case 'fixed-percent':
    case 'random-max-percent':
      return Number.isFinite(n) ? Math.min(matched, Math.floor((matched * Math.max(0, n)) / 100)) : matched;
    default:
      return matched;
  }
}

/** Pods every selector of a manifest reaches, summed (an upper bound of the blast radius). */
export function countAffectedPods(pods: readonly PodFacts[], selectors: readonly SelectorAt[]): number {
  let total = 0;
  for (const at of selectors) {
    const matched = pods.filter((p) => matchesSelector(p, at.selector)).length;
    total += affectedByMode(matched, at.mode, at.value);
  }
  return total;
}

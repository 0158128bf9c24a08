import { isLabelSubset, matchesLabelSelector, type TopologyTargetRef } from '@chaosgate/shared';
import type { ChaosObject, ChaosPodSelector, PodObject, WorkloadObject } from './topology.model';

/**
 * Whether one chaos selector reaches a workload, with Chaos Mesh's rules: an empty namespace
 * list means the chaos object's own namespace; an explicit pod list replaces every other
 * criterion; otherwise label and expression selectors are checked against the pod-template
 * labels. Field, annotation and node selectors only narrow further and are not evaluated: the
 * highlight means "this experiment is aimed here".
 */
export function selectorReaches(
  selector: ChaosPodSelector,
  chaosNamespace: string,
  workload: WorkloadObject,
  workloadPods: () => readonly PodObject[],
): boolean {
  const namespaces = selector.namespaces.length > 0 ? selector.namespaces : [chaosNamespace];
  const listed = Object.keys(selector.pods).length > 0;
  if (listed) {
    const names = new Set(selector.pods[workload.namespace] ?? []);
    return workloadPods().some((pod) => names.has(pod.name));
  }
  if (!namespaces.includes(workload.namespace)) return false;
  return (
    isLabelSubset(selector.labelSelectors, workload.templateLabels) &&
    matchesLabelSelector({ matchExpressions: selector.expressionSelectors }, workload.templateLabels)
  );
}

/** The chaos objects, still running or paused, that reach a workload; sorted by kind and name. */
export function chaosTargetsOf(
  workload: WorkloadObject,
  workloadPods: () => readonly PodObject[],
  chaosObjects: readonly ChaosObject[],
): TopologyTargetRef[] {
  if (chaosObjects.length === 0) return [];
  const refs: TopologyTargetRef[] = [];
  for (const chaos of chaosObjects) {
    if (chaos.phase === 'finished') continue;
    if (!chaos.selectors.some((s) => selectorReaches(s, chaos.namespace, workload, workloadPods))) continue;
    refs.push({
      source: 'chaos-object',
      kind: chaos.kind,
      name: chaos.name,
      namespace: chaos.namespace,
      phase: chaos.phase,
    });
  }
  return refs.sort(byKindAndName);
}

const byKindAndName = (a: TopologyTargetRef, b: TopologyTargetRef) =>
  a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** Union of target lists, without duplicates, in the same order as {@link chaosTargetsOf}. */
export function mergeTargets(lists: readonly (readonly TopologyTargetRef[])[]): TopologyTargetRef[] {
  if (lists.every((list) => list.length === 0)) return [];
  const seen = new Map<string, TopologyTargetRef>();
  for (const ref of lists.flat()) seen.set(`${ref.source}/${ref.kind}/${ref.namespace}/${ref.name}`, ref);
  return [...seen.values()].sort(byKindAndName);
}

import { CORE_REFS, type Informer, type KubeGateway, type KubeObject } from '../../kube';
import { inspectManifest, type JsonObject, selectorsOf } from './manifest-inspect';
import { countAffectedPods, podFacts } from './pod-selector';

/**
 * The pods of the target namespaces, kept by one informer per (cluster, namespace) started on
 * first use, so that counting a selector's blast radius costs no API call once warm. A namespace
 * whose informer cannot start is listed directly instead (and retried next time).
 */
export function createPodCache() {
  const informers = new Map<string, Promise<Informer<KubeObject>>>();

  function informerFor(gateway: KubeGateway, namespace: string): Promise<Informer<KubeObject>> {
    const key = `${gateway.context}/${namespace}`;
    let pending = informers.get(key);
    if (!pending) {
      const informer = gateway.createInformer<KubeObject>(CORE_REFS.pods, namespace);
      pending = informer.start().then(() => informer);
      pending.catch(() => informers.delete(key));
      informers.set(key, pending);
    }
    return pending;
  }

  async function podsOf(gateway: KubeGateway, namespace: string): Promise<KubeObject[]> {
    try {
      return (await informerFor(gateway, namespace)).items();
    } catch {
      return (await gateway.list(CORE_REFS.pods, namespace)).items;
    }
  }

  return {
    /** Pods the manifest's selectors reach at most (namespaces must already be pinned). */
    async countSelected(gateway: KubeGateway, manifest: JsonObject): Promise<number> {
      const selectors = inspectManifest(manifest).specs.flatMap(selectorsOf);
      const namespaces = new Set<string>();
      for (const at of selectors) {
        const listed = Array.isArray(at.selector.namespaces) ? at.selector.namespaces.map(String) : [];
        const fromPods = Object.keys((at.selector.pods as Record<string, unknown> | undefined) ?? {});
        for (const ns of [...listed, ...fromPods]) namespaces.add(ns);
      }
      const lists = await Promise.all([...namespaces].map((ns) => podsOf(gateway, ns)));
      return countAffectedPods(lists.flat().map(podFacts), selectors);
    },
    /** Stops every informer (the gateway also stops them when the app closes). */
    close(): void {
      for (const pending of informers.values())
        void pending.then(
          (i) => i.stop(),
          () => undefined,
        );
      informers.clear();
    },
  };
}

export type PodCache = ReturnType<typeof createPodCache>;

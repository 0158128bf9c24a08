import { type AccessApi, createAccessApi } from './access-api';
import { createDiscovery, type DiscoveredKind } from './discovery';
import { createInformer, type Informer, type InformerOptions } from './informer';
import { type ClusterEndpoint, clusterEndpointOf, type KubeSource, loadKubeConfig } from './kube-config';
import type { KubeObject } from './kube-types';
import { createObjectApi, type ListOptions, type ObjectApi } from './object-api';
import { describeObject, type ResourceRef, resourcePath } from './resource-refs';
import { createTransport } from './transport';
import { type StopWatch, startWatch, type WatchOptions } from './watch';

/** Options of an informer started through a gateway. */
export interface GatewayInformerOptions extends InformerOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * chaosgate's one door to a Kubernetes cluster: typed reads, watches and writes with every
 * failure mapped to an `AppError` (`CG_KUBE_*`). One gateway talks to one kubeconfig context.
 */
export interface KubeGateway extends ObjectApi, AccessApi {
  /** The kubeconfig context this gateway uses. */
  readonly context: string;
  /** The API server and CA of that context (to build a token-based source for the same cluster). */
  clusterEndpoint(): ClusterEndpoint;
  /** The kinds of the `chaos-mesh.org` group the server serves, from API discovery (cached). */
  discoverChaosKinds(options?: { refresh?: boolean }): Promise<DiscoveredKind[]>;
  /** The ref of a Chaos Mesh kind such as `PodChaos`; `CG_KUBE_UNKNOWN_KIND` if not served. */
  chaosKind(kind: string): Promise<ResourceRef>;
  /** The ref of any kind by apiVersion and kind; `CG_KUBE_UNKNOWN_KIND` if not served. */
  resolveKind(apiVersion: string, kind: string): Promise<ResourceRef>;
  /** Watches a collection from `options.resourceVersion`; returns the function that stops it. */
  watch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    namespace: string | null,
    options: WatchOptions<T>,
  ): StopWatch;
  /** A list+watch cache of a collection (not started; call `start()`). */
  createInformer<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    namespace: string | null,
    options?: GatewayInformerOptions,
  ): Informer<T>;
  /** Stops every watch and informer started through this gateway. */
  close(): void;
}

export interface KubeGatewayOptions {
  kubeConfig: KubeSource;
  /** The kubeconfig context; null or omitted: the source's current context. */
  context?: string | null;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** How long API discovery is cached (default five minutes). */
  discoveryTtlMs?: number;
}

/**
 * Builds a gateway. Loading is synchronous and local (no request is made); throws
 * `CG_KUBE_UNAVAILABLE` when the configuration cannot be loaded or lacks the context.
 */
export function createKubeGateway(options: KubeGatewayOptions): KubeGateway {
  const kc = loadKubeConfig(options.kubeConfig, options.context);
  const transport = createTransport(kc, { timeoutMs: options.timeoutMs ?? 15_000 });
  const discovery = createDiscovery(transport, { ttlMs: options.discoveryTtlMs });
  const objects = createObjectApi(transport, discovery);
  const access = createAccessApi(transport);
  const running = new Set<StopWatch>();

  function watch<T extends KubeObject>(ref: ResourceRef, namespace: string | null, watchOptions: WatchOptions<T>) {
    let stop: StopWatch | undefined;
    const release = () => {
      if (stop) running.delete(stop);
    };
    stop = startWatch(kc, resourcePath(ref, namespace), `watch ${describeObject(ref, namespace)}`, {
      ...watchOptions,
      onEnd(end) {
        release();
        watchOptions.onEnd(end);
      },
    });
    running.add(stop);
    const stopOnce: StopWatch = () => {
      release();
      stop?.();
    };
    return stopOnce;
  }

  return {
    ...objects,
    ...access,
    context: kc.getCurrentContext(),
    clusterEndpoint: () => clusterEndpointOf(kc),
    discoverChaosKinds: (opts) => discovery.chaosKinds(opts),
    chaosKind: (kind) => discovery.resolveChaosKind(kind),
    resolveKind: (apiVersion, kind) => discovery.resolve(apiVersion, kind),
    watch,
    createInformer<T extends KubeObject>(
      ref: ResourceRef,
      namespace: string | null,
      opts: GatewayInformerOptions = {},
    ) {
      const selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector } satisfies ListOptions;
      const informer = createInformer<T>(
        {
          list: () => objects.list<T>(ref, namespace, selectors),
          watch: (w) => watch<T>(ref, namespace, { ...selectors, ...w }),
        },
        { what: `watch ${describeObject(ref, namespace)}`, ...opts },
      );
      const tracked: Informer<T> = {
        start: () => informer.start(),
        stop() {
          running.delete(tracked.stop);
          informer.stop();
        },
        get store() {
          return informer.store;
        },
        items: () => informer.items(),
        get: (key) => informer.get(key),
        onChange: (listener) => informer.onChange(listener),
        stats: informer.stats,
      };
      running.add(tracked.stop);
      return tracked;
    },
    close() {
      for (const stop of [...running]) stop();
      running.clear();
    },
  };
}

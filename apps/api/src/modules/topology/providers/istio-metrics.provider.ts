import type { ProvidedEdge } from '../topology.model';
import { nodeIdOf } from '../topology-context';
import type { EdgeProviderDefinition } from './edge-provider';
import { PrometheusError, queryPrometheus, type VectorSample } from './prometheus-client';

/** The request rate between workloads over five minutes, as Istio's telemetry reports it. */
export const ISTIO_REQUESTS_QUERY =
  'sum by (source_workload, source_workload_namespace, destination_workload, destination_workload_namespace) (rate(istio_requests_total[5m]))';

export interface IstioMetricsOptions {
  timeoutMs?: number;
  /** How long one answer serves every map of the environment. */
  cacheTtlMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface CachedAnswer {
  at: number;
  samples: Promise<VectorSample[]>;
}

/**
 * Workload → workload edges from Istio request metrics in the environment's Prometheus
 * (`Environment.prometheusUrl`); disabled without one. Series with no traffic in the window,
 * or from outside the mesh (`unknown`), draw nothing. Answers are cached briefly per URL so a
 * busy map does not turn into a busy Prometheus.
 */
export function createIstioMetricsProvider(options: IstioMetricsOptions = {}): EdgeProviderDefinition {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const cacheTtlMs = options.cacheTtlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, CachedAnswer>();

  function samplesFrom(url: string): Promise<VectorSample[]> {
    const cached = cache.get(url);
    if (cached && now() - cached.at < cacheTtlMs) return cached.samples;
    const samples = queryPrometheus(url, ISTIO_REQUESTS_QUERY, { timeoutMs, fetch: options.fetch });
    cache.set(url, { at: now(), samples });
    // A failure is not worth remembering for the whole TTL: the next map asks again.
    samples.catch(() => cache.delete(url));
    return samples;
  }

  return {
    name: 'istio-metrics',
    async find(context, settings) {
      if (!settings.prometheusUrl) return { name: 'istio-metrics', enabled: false, edges: [], unresolved: 0 };
      let samples: VectorSample[];
      try {
        samples = await samplesFrom(settings.prometheusUrl);
      } catch (error) {
        const message = error instanceof PrometheusError ? error.message : 'Prometheus query failed';
        return { name: 'istio-metrics', enabled: true, edges: [], unresolved: 0, warning: message };
      }
      const namespace = context.snapshot.namespace;
      const edges: ProvidedEdge[] = [];
      let unresolved = 0;
      for (const { metric, value } of samples) {
        const from = { ns: metric.source_workload_namespace, name: metric.source_workload };
        const to = { ns: metric.destination_workload_namespace, name: metric.destination_workload };
        if (!(value > 0) || (from.ns !== namespace && to.ns !== namespace)) continue;
        if (!from.name || !to.name || from.name === 'unknown' || to.name === 'unknown') continue;
        const source = from.ns === namespace ? context.workload(namespace, from.name) : undefined;
        const target = to.ns === namespace ? context.workload(namespace, to.name) : undefined;
        if (!source || !target) {
          unresolved += 1;
          continue;
        }
        if (source === target) continue;
        const rps = Math.round(value * 1000) / 1000;
        edges.push({
          source: nodeIdOf(source),
          target: nodeIdOf(target),
          evidence: `istio_requests_total ${rps} req/s`,
          requestsPerSecond: rps,
        });
      }
      return { name: 'istio-metrics', enabled: true, edges, unresolved };
    },
  };
}

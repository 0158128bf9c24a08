import { describe, expect, it } from 'vitest';
import { NS, shopSnapshot } from '../topology.fixtures';
import { createTopologyContext } from '../topology-context';
import { createIstioMetricsProvider, ISTIO_REQUESTS_QUERY } from './istio-metrics.provider';
import { prometheusBaseUrl } from './prometheus-client';

const context = createTopologyContext(shopSnapshot());
const PROMETHEUS = 'http://prometheus.monitoring:9090';

function series(from: string, to: string, rate: string, fromNs = NS, toNs = NS) {
  return {
    metric: {
      source_workload: from,
      source_workload_namespace: fromNs,
      destination_workload: to,
      destination_workload_namespace: toNs,
    },
    value: [1767225600.0, rate],
  };
}

function vector(result: unknown[]) {
  return { status: 'success', data: { resultType: 'vector', result } };
}

/** A fake Prometheus that records the URLs it was asked for. */
function fakePrometheus(answer: () => Response | Promise<Response>) {
  const urls: URL[] = [];
  const fetch = (async (input: URL) => {
    urls.push(input);
    return answer();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, urls };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

describe('istio-metrics provider', () => {
  it('is disabled without a Prometheus URL and asks nobody', async () => {
    const prometheus = fakePrometheus(() => json(vector([])));
    const outcome = await createIstioMetricsProvider({ fetch: prometheus.fetch }).find(context, {
      prometheusUrl: null,
    });
    expect(outcome).toMatchObject({ enabled: false, edges: [] });
    expect(prometheus.urls).toEqual([]);
  });

  it('draws workload edges with their request rate from the istio query', async () => {
    const prometheus = fakePrometheus(() =>
      json(
        vector([
          series('gateway', 'order', '12.5'),
          series('order', 'payment', '3.25'),
          series('unknown', 'gateway', '40'),
          series('order', 'inventory', '0'),
          series('order', 'auth', '1', NS, 'platform'),
          series('billing', 'ledger', '5', 'finance', 'finance'),
        ]),
      ),
    );
    const provider = createIstioMetricsProvider({ fetch: prometheus.fetch });
    const outcome = await provider.find(context, { prometheusUrl: PROMETHEUS });
    expect(outcome.edges).toEqual([
      {
        source: `Deployment/${NS}/gateway`,
        target: `Deployment/${NS}/order`,
        evidence: 'istio_requests_total 12.5 req/s',
        requestsPerSecond: 12.5,
      },
      {
        source: `Deployment/${NS}/order`,
        target: `Deployment/${NS}/payment`,
        evidence: 'istio_requests_total 3.25 req/s',
        requestsPerSecond: 3.25,
      },
    ]);
    expect(outcome.unresolved).toBe(1);
    const [url] = prometheus.urls;
    expect(url?.pathname).toBe('/api/v1/query');
    expect(url?.searchParams.get('query')).toBe(ISTIO_REQUESTS_QUERY);
  });

  it('turns an HTTP error into a warning instead of failing the map', async () => {
    const prometheus = fakePrometheus(() => json({ status: 'error' }, 503));
    const outcome = await createIstioMetricsProvider({ fetch: prometheus.fetch }).find(context, {
      prometheusUrl: PROMETHEUS,
    });
    expect(outcome).toMatchObject({ enabled: true, edges: [], warning: 'Prometheus answered HTTP 503' });
  });

  it('gives up after its timeout', async () => {
    const hanging = ((_url: URL, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as unknown as typeof globalThis.fetch;
    const outcome = await createIstioMetricsProvider({ fetch: hanging, timeoutMs: 50 }).find(context, {
      prometheusUrl: PROMETHEUS,
    });
    expect(outcome.warning).toBe('Prometheus did not answer within 50 ms');
  });

  it('refuses a URL that is not http or https without fetching it', async () => {
    const prometheus = fakePrometheus(() => json(vector([])));
    const provider = createIstioMetricsProvider({ fetch: prometheus.fetch });
    for (const url of ['file:///etc/passwd', 'gopher://prometheus:70', 'not a url']) {
      const outcome = await provider.find(context, { prometheusUrl: url });
      expect(outcome.warning).toMatch(/refused|not a valid URL/);
    }
    expect(prometheus.urls).toEqual([]);
  });

  it('rejects an answer that is not an instant vector', async () => {
    const prometheus = fakePrometheus(() => json({ status: 'success', data: { resultType: 'matrix', result: [] } }));
    const outcome = await createIstioMetricsProvider({ fetch: prometheus.fetch }).find(context, {
      prometheusUrl: PROMETHEUS,
    });
    expect(outcome.warning).toBe('Prometheus sent an answer that is not an instant vector');
  });

  it('reuses one answer within its cache time and asks again after a failure', async () => {
    let calls = 0;
    let clock = 0;
    const prometheus = fakePrometheus(() => {
      calls += 1;
      return calls === 2 ? json({}, 500) : json(vector([series('gateway', 'order', '1')]));
    });
    const provider = createIstioMetricsProvider({ fetch: prometheus.fetch, cacheTtlMs: 1_000, now: () => clock });
    await provider.find(context, { prometheusUrl: PROMETHEUS });
    await provider.find(context, { prometheusUrl: PROMETHEUS });
    expect(calls).toBe(1);
    clock = 2_000;
    expect((await provider.find(context, { prometheusUrl: PROMETHEUS })).warning).toBeDefined();
    expect((await provider.find(context, { prometheusUrl: PROMETHEUS })).edges).toHaveLength(1);
    expect(calls).toBe(3);
  });
});

describe('prometheusBaseUrl', () => {
  it('keeps http and https URLs and refuses embedded credentials', () => {
    expect(prometheusBaseUrl('https://prom.example:9090/prom').href).toBe('https://prom.example:9090/prom');
    expect(() => prometheusBaseUrl('http://admin:pw@prom:9090')).toThrow(/credentials/);
  });
});

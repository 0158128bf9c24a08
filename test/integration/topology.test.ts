import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Topology, TopologyNode, TopologyPatch } from '@chaosgate/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APPS_REFS, CORE_REFS, type KubeGateway } from '../../apps/api/src/kube';
import { type BrowserSession, buildTestApp, signIn, type TestApp } from '../../apps/api/src/testing/test-app';
import { adminGateway, uniqueName } from '../support/kube';

const NS = 'chaos-dev';
const id = (kind: string, name: string) => `${kind}/${NS}/${name}`;

let t: TestApp;
let session: BrowserSession;
let admin: KubeGateway;
let baseUrl: string;

beforeAll(async () => {
  t = await buildTestApp({ KUBECONFIG: inject('kubeconfig') });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  session = await signIn(t.app, 'dev');
  admin = adminGateway();
});
afterAll(async () => {
  admin?.close();
  await t?.close();
});

async function getTopology(namespace = NS): Promise<Topology> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/envs/dev/topology?namespace=${namespace}`,
    headers: session.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Topology>();
}

const edge = (map: Topology, provider: string, source: string, target: string) =>
  map.edges.find((e) => e.provider === provider && e.source === source && e.target === target);

/** Reads server-sent events from a real HTTP connection, as a browser would. */
async function openStream(path: string) {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}${path}`, { headers: { cookie: session.cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: { event: string; data: unknown }[] = [];
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    while (reader) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':') && line.includes(': '))
            .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
        );
        if (fields.event && fields.data) events.push({ event: fields.event, data: JSON.parse(fields.data) });
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  return {
    events,
    patches: () => events.filter((e) => e.event === 'patch').map((e) => e.data as TopologyPatch),
    async close() {
      controller.abort();
      await pump;
    },
  };
}

function deployment(name: string, dependsOn?: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, ...(dependsOn ? { annotations: { 'chaosgate.dev/depends-on': dependsOn } } : {}) },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: 'backend' } },
        spec: {
          containers: [
            { name, image: 'example.com/shop/x:1', env: [{ name: 'CART_URL', value: 'http://order:8080' }] },
          ],
        },
      },
    },
  };
}

describe('GET /api/envs/:env/topology on the demo shop', () => {
  it('draws every workload and Service of chaos-dev as a node', async () => {
    const map = await getTopology();
    const ids = map.nodes.map((n) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        ...['gateway', 'order', 'payment', 'inventory', 'user'].map((n) => id('Deployment', n)),
        id('StatefulSet', 'redis'),
        id('StatefulSet', 'mysql'),
        id('DaemonSet', 'log-agent'),
        ...['gateway', 'order', 'payment', 'inventory', 'user', 'redis', 'mysql'].map((n) => id('Service', n)),
      ]),
    );
    const order = map.nodes.find((n) => n.id === id('Deployment', 'order')) as TopologyNode;
    expect(order).toMatchObject({
      labels: { app: 'order', tier: 'backend', version: 'v1' },
      selector: { app: 'order' },
      replicas: { ready: 2, desired: 2 },
      podsMatched: 2,
      services: ['order'],
    });
  });

  it('draws the edges each provider finds, named in the response', async () => {
    const map = await getTopology();
    expect(edge(map, 'service-selector', id('Service', 'order'), id('Deployment', 'order'))).toBeDefined();
    expect(edge(map, 'service-selector', id('Service', 'redis'), id('StatefulSet', 'redis'))).toBeDefined();
    expect(edge(map, 'annotation', id('Deployment', 'order'), id('Service', 'payment'))).toBeDefined();
    expect(edge(map, 'annotation', id('Deployment', 'order'), id('Service', 'inventory'))).toBeDefined();
    expect(edge(map, 'env-reference', id('Deployment', 'order'), id('Service', 'redis'))?.evidence).toEqual([
      'env REDIS_ADDR → redis.chaos-dev.svc.cluster.local',
    ]);
    expect(edge(map, 'env-reference', id('Deployment', 'order'), id('Service', 'mysql'))).toBeDefined();
    expect(map.providers.map((p) => [p.name, p.enabled])).toEqual([
      ['service-selector', true],
      ['annotation', true],
      ['env-reference', true],
      ['istio-metrics', false],
    ]);
    expect(map.warnings).toEqual([]);
    // Nothing made up: no edge into the gateway, nothing from the log agent.
    expect(
      map.edges.filter((e) => e.target === id('Deployment', 'gateway') && e.provider !== 'service-selector'),
    ).toEqual([]);
    expect(map.edges.filter((e) => e.source === id('DaemonSet', 'log-agent'))).toEqual([]);
  });

  it('serves a second request from the watch cache with the same revision', async () => {
    const first = await getTopology();
    const second = await getTopology();
    expect(second.revision).toBe(first.revision);
  });

  it('marks the workloads a chaos object in the chaos namespace targets', async () => {
    const name = uniqueName('delay-inventory');
    const chaos = await admin.chaosKind('NetworkChaos');
    await admin.create({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'NetworkChaos',
      metadata: { name, namespace: NS },
      spec: {
        action: 'delay',
        mode: 'all',
        selector: { labelSelectors: { app: 'inventory' } },
        delay: { latency: '50ms' },
        duration: '5m',
      },
    });
    try {
      await expect
        .poll(async () => (await getTopology()).nodes.find((n) => n.id === id('Deployment', 'inventory'))?.targetedBy)
        .toEqual([{ source: 'chaos-object', kind: 'NetworkChaos', name, namespace: NS, phase: 'running' }]);
      const map = await getTopology();
      expect(map.nodes.find((n) => n.id === id('Service', 'inventory'))?.targetedBy).toHaveLength(1);
      expect(map.nodes.find((n) => n.id === id('Deployment', 'order'))?.targetedBy).toEqual([]);
    } finally {
      await admin.delete(chaos, NS, name);
    }
  });
});

describe('POST /api/envs/:env/selector/preview', () => {
  it('lists the pods a selector matches, with phase, readiness and node', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/envs/dev/selector/preview',
      headers: session.headers,
      payload: { namespace: NS, labelSelector: { matchLabels: { app: 'order' } } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(2);
    expect(body.truncated).toBe(false);
    for (const pod of body.pods) {
      expect(pod.name).toMatch(/^order-/);
      expect(pod).toMatchObject({ phase: 'Running', ready: true });
      expect(pod.node).toMatch(/^local-node-/);
    }
  });

  it('supports expressions', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/envs/dev/selector/preview',
      headers: session.headers,
      payload: {
        namespace: NS,
        labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['cache', 'database'] }] },
      },
    });
    expect(
      res
        .json()
        .pods.map((p: { name: string }) => p.name.split('-')[0])
        .sort(),
    ).toEqual(['mysql', 'redis']);
  });
});

describe('GET /api/envs/:env/topology/stream', () => {
  it('sends a snapshot, then the workload added and removed in the cluster', async () => {
    const name = uniqueName('cart');
    const stream = await openStream(`/api/envs/dev/topology/stream?namespace=${NS}`);
    try {
      await expect.poll(() => stream.events.length).toBeGreaterThan(0);
      const snapshot = stream.events[0]?.data as Topology;
      expect(stream.events[0]?.event).toBe('snapshot');

      await admin.apply(deployment(name, 'payment'));
      await expect.poll(() => stream.patches().length, { timeout: 15_000 }).toBeGreaterThan(0);
      const added = stream.patches()[0] as TopologyPatch;
      expect(added.fromRevision).toBe(snapshot.revision);
      expect(added.nodes.upsert.map((n) => n.id)).toContain(id('Deployment', name));
      expect(added.edges.upsert.map((e) => e.id)).toEqual(
        expect.arrayContaining([
          `annotation:${id('Deployment', name)}->${id('Service', 'payment')}`,
          `env-reference:${id('Deployment', name)}->${id('Service', 'order')}`,
        ]),
      );

      await admin.delete(APPS_REFS.deployments, NS, name);
      await expect
        .poll(() => stream.patches().some((p) => p.nodes.remove.includes(id('Deployment', name))), { timeout: 15_000 })
        .toBe(true);
    } finally {
      await admin.delete(APPS_REFS.deployments, NS, name).catch(() => undefined);
      await stream.close();
    }
  });

  it('skips the snapshot when the client already holds the current revision', async () => {
    const { revision } = await getTopology();
    const stream = await openStream(`/api/envs/dev/topology/stream?namespace=${NS}&since=${revision}`);
    const name = uniqueName('svc');
    try {
      await admin.apply({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: NS },
        spec: { selector: { app: 'order' }, ports: [{ port: 80 }] },
      });
      await expect.poll(() => stream.events.length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(stream.events[0]?.event).toBe('patch');
      expect((stream.events[0]?.data as TopologyPatch | undefined)?.fromRevision).toBe(revision);
    } finally {
      await admin.delete(CORE_REFS.services, NS, name).catch(() => undefined);
      await stream.close();
    }
  });
});

describe('istio-metrics with a Prometheus', () => {
  let prometheus: Server;
  let answer: () => { status: number; body: unknown };

  beforeAll(async () => {
    prometheus = createServer((req, res) => {
      const { status, body } = answer();
      expect(new URL(req.url ?? '', 'http://x').searchParams.get('query')).toContain('istio_requests_total');
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await t.db.database.prisma.environment.update({ where: { name: 'dev' }, data: { prometheusUrl: null } });
    await new Promise((resolve) => prometheus.close(resolve));
  });

  async function usePrometheus(url: string) {
    await t.db.database.prisma.environment.update({ where: { name: 'dev' }, data: { prometheusUrl: url } });
  }

  it('draws workload edges from request rates', async () => {
    answer = () => ({
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            {
              metric: {
                source_workload: 'gateway',
                source_workload_namespace: NS,
                destination_workload: 'order',
                destination_workload_namespace: NS,
              },
              value: [1, '7.5'],
            },
          ],
        },
      },
    });
    await usePrometheus(`http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`);
    const map = await getTopology();
    expect(edge(map, 'istio-metrics', id('Deployment', 'gateway'), id('Deployment', 'order'))).toMatchObject({
      requestsPerSecond: 7.5,
    });
    expect(map.providers.find((p) => p.name === 'istio-metrics')).toMatchObject({ enabled: true, edgeCount: 1 });
  });

  it('reports a failing Prometheus as a warning and still draws the rest', async () => {
    answer = () => ({ status: 500, body: { status: 'error' } });
    // Another URL (query string) so that the provider's short cache does not answer.
    await usePrometheus(`http://127.0.0.1:${(prometheus.address() as AddressInfo).port}/broken`);
    const map = await getTopology();
    expect(map.warnings).toEqual([{ provider: 'istio-metrics', message: 'Prometheus answered HTTP 500' }]);
    expect(map.edges.filter((e) => e.provider === 'service-selector').length).toBeGreaterThanOrEqual(7);
  });

  it('refuses a Prometheus URL that is not http(s)', async () => {
    await usePrometheus('file:///etc/passwd');
    const map = await getTopology();
    expect(map.warnings[0]).toMatchObject({ provider: 'istio-metrics' });
    expect(map.warnings[0]?.message).toContain('not http or https');
  });
});

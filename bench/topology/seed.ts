import { APPS_REFS, CORE_REFS, type KubeGateway, type KubeObject } from '../../apps/api/src/kube';
import { callsOf, serviceName } from './shape';

/** The namespace the benchmark fills; it is added to an environment only in the benchmark's own database. */
export const BENCH_NAMESPACE = 'bench-topology';

export interface BenchSize {
  deployments: number;
  services: number;
  pods: number;
}

export const DEFAULT_SIZE: BenchSize = { deployments: 1_000, services: 1_000, pods: 5_000 };

const TIERS = ['frontend', 'backend', 'cache', 'database', 'batch'];
const name = serviceName;

function deployment(i: number, size: BenchSize): KubeObject {
  const app = name(i);
  const calls = callsOf(i, size.deployments);
  // Every call is declared; every other one is also an env var with the Service's URL.
  const env = calls
    .filter((target) => target % 2 === 0)
    .map((target, n) => ({ name: `UPSTREAM_${n}_URL`, value: `http://${name(target)}:8080` }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: app,
      namespace: BENCH_NAMESPACE,
      ...(calls.length > 0 ? { annotations: { 'chaosgate.dev/depends-on': calls.map(name).join(',') } } : {}),
    },
    spec: {
      replicas: Math.round(size.pods / size.deployments),
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app, tier: TIERS[i % TIERS.length] as string, version: 'v1' } },
        spec: { containers: [{ name: 'app', image: 'example.com/bench/app:1', env }] },
      },
    },
  };
}

function service(i: number): KubeObject {
  const app = name(i);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace: BENCH_NAMESPACE },
    spec: { selector: { app }, ports: [{ port: 8080 }] },
  };
}

function pod(i: number, size: BenchSize): KubeObject {
  const owner = i % size.deployments;
  const app = name(owner);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-${Math.floor(i / size.deployments)}`,
      namespace: BENCH_NAMESPACE,
      labels: { app, tier: TIERS[owner % TIERS.length] as string, version: 'v1' },
    },
    spec: { nodeName: `local-node-${(i % 2) + 1}`, containers: [{ name: 'app', image: 'example.com/bench/app:1' }] },
  };
}

/** Runs `work` over `items` with at most `limit` calls in flight. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

async function count(gateway: KubeGateway, ref: (typeof APPS_REFS)['deployments'], namespace: string) {
  return (await gateway.list(ref, namespace)).items.length;
}

/**
 * Creates the benchmark namespace with `size` Deployments, Services and Pods (no controller runs
 * on the local control plane, so Pods are created directly). Skips what a previous run left.
 */
export async function seedBenchNamespace(
  gateway: KubeGateway,
  size: BenchSize = DEFAULT_SIZE,
  log: (line: string) => void = () => {},
): Promise<void> {
  await gateway.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_NAMESPACE } });
  // The ServiceAccount admission plugin needs it, and no controller-manager creates it here.
  await gateway.apply({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: BENCH_NAMESPACE },
  });
  const plan = [
    { ref: APPS_REFS.deployments, want: size.deployments, make: (i: number) => deployment(i, size) },
    { ref: CORE_REFS.services, want: size.services, make: service },
    { ref: CORE_REFS.pods, want: size.pods, make: (i: number) => pod(i, size) },
  ];
  for (const { ref, want, make } of plan) {
    const have = await count(gateway, ref, BENCH_NAMESPACE);
    if (have >= want) {
      log(`${ref.plural}: ${have} already there`);
      continue;
    }
    const started = Date.now();
    const indexes = Array.from({ length: want }, (_, i) => i);
    await inParallel(indexes, 48, (i) =>
      gateway.create(make(i)).catch((error: { code?: string }) => {
        if (error.code !== 'CG_KUBE_CONFLICT') throw error;
      }),
    );
    log(`${ref.plural}: created ${want} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

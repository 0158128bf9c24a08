import { performance } from 'node:perf_hooks';
import { APPS_REFS, CORE_REFS, type KubeGateway } from '../../apps/api/src/kube';
import { buildTestApp, signIn } from '../../apps/api/src/testing/test-app';
import { BENCH_NAMESPACE } from './seed';

export interface ApiBenchResult {
  rounds: number;
  nodes: number;
  edges: number;
  /** Median wall-clock of the LIST calls the map reads, issued in parallel through the gateway. */
  rawListMs: number;
  /** Median of the first map request after start-up (cache cold: its watches list first). */
  firstMs: number;
  /** Median of requests answered from the warm cache. */
  cachedMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}

/** The same LISTs the topology's informers issue, and nothing else. */
async function rawLists(gateway: KubeGateway, chaosNamespace: string): Promise<void> {
  const namespaceLists = [
    APPS_REFS.deployments,
    APPS_REFS.statefulSets,
    APPS_REFS.daemonSets,
    CORE_REFS.services,
    CORE_REFS.pods,
  ].map((ref) => gateway.list(ref, BENCH_NAMESPACE));
  const chaosLists = gateway
    .discoverChaosKinds({ refresh: true })
    .then((kinds) =>
      Promise.all(kinds.filter((k) => k.kind.endsWith('Chaos')).map((k) => gateway.list(k, chaosNamespace))),
    );
  await Promise.all([...namespaceLists, chaosLists]);
}

/**
 * Boots the real API in-process on a fresh database per round (so the first request meets a
 * cold cache), adds the benchmark namespace to `dev`, and times the raw LISTs (median of three)
 * against the first and the cached `GET /api/envs/dev/topology`.
 */
export async function runApiBench(kubeconfig: string, rounds = 5, log: (line: string) => void = () => {}) {
  const raw: number[] = [];
  const first: number[] = [];
  const cached: number[] = [];
  let shape = { nodes: 0, edges: 0 };
  for (let round = 1; round <= rounds; round += 1) {
    const t = await buildTestApp({ KUBECONFIG: kubeconfig });
    try {
      const env = await t.db.database.prisma.environment.update({
        where: { name: 'dev' },
        data: { targetNamespaces: { push: BENCH_NAMESPACE } },
      });
      const session = await signIn(t.app, 'dev');
      const gateway = await t.app.kube.forEnvironment('dev');
      await rawLists(gateway, env.chaosNamespace); // warm the connection pool and the server's caches
      const rawSamples: number[] = [];
      for (let i = 0; i < 3; i += 1) rawSamples.push((await timed(() => rawLists(gateway, env.chaosNamespace)))[0]);
      const rawMs = median(rawSamples);
      const url = `/api/envs/dev/topology?namespace=${BENCH_NAMESPACE}`;
      const get = () => t.app.inject({ method: 'GET', url, headers: session.headers });
      const [firstMs, res] = await timed(get);
      if (res.statusCode !== 200) throw new Error(`topology answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      const body = res.json<{ nodes: unknown[]; edges: unknown[] }>();
      shape = { nodes: body.nodes.length, edges: body.edges.length };
      const warm: number[] = [];
      for (let i = 0; i < 5; i += 1) warm.push((await timed(get))[0]);
      raw.push(rawMs);
      first.push(firstMs);
      cached.push(median(warm));
      log(
        `round ${round}: raw LISTs ${rawMs.toFixed(0)} ms, first map ${firstMs.toFixed(0)} ms, cached ${median(warm).toFixed(1)} ms`,
      );
    } finally {
      await t.close();
    }
  }
  return {
    rounds,
    ...shape,
    rawListMs: median(raw),
    firstMs: median(first),
    cachedMs: median(cached),
  } satisfies ApiBenchResult;
}

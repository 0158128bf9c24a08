/**
 * Topology benchmark: prints ratios, asserts nothing.
 *
 *   node --import tsx bench/topology/run.ts            # starts its own local control plane
 *   CHAOSGATE_TEST_KUBECONFIG=… node --import tsx bench/topology/run.ts   # reuses a cluster
 *   BENCH_SKIP_BROWSER=1 …                             # only the API part
 *
 * 1. Fills namespace `bench-topology` with 1,000 Deployments, 1,000 Services and 5,000 Pods.
 * 2. API: first `GET /api/envs/dev/topology` (cold watch cache) against the raw LIST calls alone
 *    (goal ≤ 1.3), and a cached answer against the same LISTs.
 * 3. Chromium: layout + first render of 1,000 nodes against 100 nodes.
 */
import { createKubeGateway } from '../../apps/api/src/kube';
import { startLocalCluster } from '../../test/support/local-cluster';
import { runApiBench } from './api-bench';
import { runBrowserBench } from './browser-bench';
import { BENCH_NAMESPACE, DEFAULT_SIZE, seedBenchNamespace } from './seed';

const log = (line: string) => process.stdout.write(`[bench:topology] ${line}\n`);
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function main(): Promise<void> {
  const cluster = await startLocalCluster();
  try {
    const gateway = createKubeGateway({ kubeConfig: { mode: 'kubeconfig', paths: [cluster.kubeconfig] } });
    log(
      `seeding ${BENCH_NAMESPACE}: ${DEFAULT_SIZE.deployments} Deployments, ${DEFAULT_SIZE.services} Services, ${DEFAULT_SIZE.pods} Pods`,
    );
    await seedBenchNamespace(gateway, DEFAULT_SIZE, log);
    gateway.close();

    const api = await runApiBench(cluster.kubeconfig, 5, log);
    const browser = process.env.BENCH_SKIP_BROWSER
      ? []
      : await runBrowserBench(cluster.kubeconfig, [100, 1_000, 2_000], 3, log);

    const lines = [
      '',
      `topology of ${BENCH_NAMESPACE}: ${api.nodes} nodes, ${api.edges} edges (median of ${api.rounds} rounds)`,
      `  raw LIST calls alone          ${api.rawListMs.toFixed(0).padStart(6)} ms`,
      `  first topology response       ${api.firstMs.toFixed(0).padStart(6)} ms   ratio to raw LISTs ${ratio(api.firstMs, api.rawListMs)} (goal ≤ 1.3)`,
      `  cached topology response      ${api.cachedMs.toFixed(1).padStart(6)} ms   ratio to raw LISTs ${ratio(api.cachedMs, api.rawListMs)}`,
    ];
    const base = browser.find((s) => s.nodes === 100);
    for (const sample of browser) {
      lines.push(
        `  Chromium ${String(sample.nodes).padStart(5)} nodes: layout ${sample.layoutMs.toFixed(0).padStart(5)} ms, layout + first render ${sample.layoutAndRenderMs.toFixed(0).padStart(5)} ms` +
          (base && sample !== base
            ? `   ratio to 100 nodes ${ratio(sample.layoutAndRenderMs, base.layoutAndRenderMs)}`
            : ''),
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

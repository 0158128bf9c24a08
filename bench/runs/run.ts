/**
 * Experiment-runs benchmark: prints ratios, asserts nothing.
 *
 *   node --import tsx bench/runs/run.ts                 # starts its own local control plane
 *   CHAOSGATE_TEST_KUBECONFIG=… node --import tsx bench/runs/run.ts   # reuses a cluster
 *   BENCH_SKIP_CLUSTER=1 node --import tsx bench/runs/run.ts          # only the list part
 *   TEST_DATABASE_URL=postgres://… …                    # PostgreSQL instead of embedded PGlite
 *
 * 1. Execute → CR exists, against a bare create of an equivalent CR through the same gateway
 *    (both include a read-back of the object; goal ≤ 2).
 * 2. `GET /api/runs?limit=50` requests per second over 100,000 runs, against a Fastify
 *    hello-world on the same machine (goal ≥ 0.3).
 */
import { startLocalCluster } from '../../test/support/local-cluster';
import { runExecuteBench } from './execute-bench';
import { runListBench } from './list-bench';

const log = (line: string) => process.stdout.write(`[bench:runs] ${line}\n`);
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_RUNS ?? 100_000);
  const list = await runListBench(rows, log);
  const lines = [
    '',
    `runs list over ${list.rows} runs (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
    `  GET /api/runs?limit=50   ${list.runsPerSecond.toFixed(0).padStart(7)} req/s`,
    `  GET /api/me         ${list.sessionPerSecond.toFixed(0).padStart(7)} req/s   (session lookup only: the ceiling of any signed-in read)`,
    `  Fastify hello-world      ${list.helloPerSecond.toFixed(0).padStart(7)} req/s`,
    `  ratio runs list / hello-world ${ratio(list.runsPerSecond, list.helloPerSecond)} (goal ≥ 0.3); session-only / hello-world ${ratio(list.sessionPerSecond, list.helloPerSecond)}`,
  ];
  if (!process.env.BENCH_SKIP_CLUSTER) {
    const cluster = await startLocalCluster();
    try {
      const exec = await runExecuteBench(cluster.kubeconfig, 15, log);
      lines.push(
        `execute → CR exists (median of ${exec.rounds})`,
        `  POST /api/runs/:id/execute ${exec.executeMs.toFixed(1).padStart(7)} ms`,
        `  bare create               ${exec.createMs.toFixed(1).padStart(7)} ms   ratio ${ratio(exec.executeMs, exec.createMs)} (goal ≤ 2)`,
      );
    } finally {
      await cluster.stop();
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

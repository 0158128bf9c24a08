/**
 * Experiment-runs benchmark: prints ratios, asserts nothing. chaosgate runs in its own process, as
 * in production (`scripts/start.sh`), and so do the baselines it is compared with.
 *
 *   node --import tsx bench/runs/run.ts                 # starts its own local control plane
 *   CHAOSGATE_TEST_KUBECONFIG=… node --import tsx bench/runs/run.ts   # reuses a cluster
 *   BENCH_SKIP_CLUSTER=1 node --import tsx bench/runs/run.ts          # only the list part
 *   TEST_DATABASE_URL=postgres://… …                    # PostgreSQL instead of embedded PGlite
 *
 * 1. `GET /api/runs?limit=50` requests per second over 100,000 runs, measured with autocannon,
 *    against a Fastify hello-world (goal ≥ 0.3) and against bare Fastify sending a constant body
 *    as large as the page (what the bytes alone cost).
 * 2. Execute → CR exists, against a bare create of an equivalent CR, both seen by the same watch
 *    (goal ≤ 2).
 */
import { startLocalCluster } from '../../test/support/local-cluster';
import { CONNECTIONS } from '../support/load';
import { runExecuteBench } from './execute-bench';
import { runListBench } from './list-bench';

const log = (line: string) => process.stdout.write(`[bench:runs] ${line}\n`);
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const rate = (n: number) => `${n.toFixed(0).padStart(7)} req/s`;

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_RUNS ?? 100_000);
  const list = await runListBench(rows, log);
  const kb = (list.pageBytes / 1024).toFixed(1);
  const lines = [
    '',
    `runs list over ${list.rows} runs (${list.database}); autocannon, ${CONNECTIONS} connections, median of 5 rounds after a warm-up`,
    `  Fastify hello-world                         ${rate(list.hello)}`,
    `  Fastify, a constant ${kb} kB body          ${rate(list.constant)}   (the page's size: what its bytes alone cost)`,
    `  GET /api/me                                 ${rate(list.session)}`,
    `  GET /api/runs?limit=50                      ${rate(list.firstPage)}`,
    `  GET /api/runs?limit=50&cursor=… (uncached)  ${rate(list.deepPages)}`,
    `  ratio runs list / hello-world     ${ratio(list.firstPage, list.hello)} (goal ≥ 0.3)`,
    `  ratio runs list / constant body   ${ratio(list.firstPage, list.constant)}`,
    `  ratio uncached pages / hello-world ${ratio(list.deepPages, list.hello)}; / constant body ${ratio(list.deepPages, list.constant)}`,
  ];
  if (!process.env.BENCH_SKIP_CLUSTER) {
    const cluster = await startLocalCluster();
    try {
      const exec = await runExecuteBench(cluster.kubeconfig, 15, log);
      lines.push(
        `execute → CR exists, seen by a watch (median of ${exec.rounds})`,
        `  POST /api/runs/:id/execute ${exec.executeToCr.toFixed(1).padStart(7)} ms   (response after ${exec.executeResponse.toFixed(1)} ms)`,
        `  bare create                ${exec.createToCr.toFixed(1).padStart(7)} ms   (response after ${exec.createResponse.toFixed(1)} ms)`,
        `  ratio ${ratio(exec.executeToCr, exec.createToCr)} (goal ≤ 2); responses ${ratio(exec.executeResponse, exec.createResponse)}`,
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

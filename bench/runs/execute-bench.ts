import { buildApp } from '../../apps/api/src/app';
import { createKubeGateway, type KubeGateway, type KubeObject } from '../../apps/api/src/kube';
import { signIn, testConfig } from '../../apps/api/src/testing/test-app';
import { createTestDatabase } from '../../apps/api/src/testing/test-database';

export interface ExecuteBenchResult {
  rounds: number;
  /** Median ms from `POST /api/runs/:id/execute` to the CR existing in the cluster. */
  executeMs: number;
  /** Median ms of a bare create of an equivalent CR through the gateway. */
  createMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const manifest = (round: number) => `apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: bench-${round}
  labels:
    bench-round: "${round}"
spec:
  action: pod-failure
  mode: one
  duration: 10m
  selector:
    labelSelectors:
      app: order
`;

function bareObject(round: number): KubeObject {
  return {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: 'PodChaos',
    metadata: { name: `bench-bare-${Date.now()}-${round}`, namespace: 'chaos-dev' },
    spec: {
      action: 'pod-failure',
      mode: 'one',
      duration: '10m',
      selector: { namespaces: ['chaos-dev'], labelSelectors: { app: 'order' } },
    },
  };
}

async function exists(gateway: KubeGateway, name: string): Promise<boolean> {
  const ref = await gateway.chaosKind('PodChaos');
  return gateway.get(ref, 'chaos-dev', name).then(
    () => true,
    () => false,
  );
}

/**
 * Times execute (from the request to the CR being readable in the cluster) against a bare create
 * of the same kind of object through the same gateway, alternating, and cleans up after each.
 */
export async function runExecuteBench(
  kubeconfig: string,
  rounds: number,
  log: (line: string) => void,
): Promise<ExecuteBenchResult> {
  const db = await createTestDatabase();
  const app = await buildApp({ config: testConfig({ KUBECONFIG: kubeconfig }), database: db.database, logger: false });
  const gateway = createKubeGateway({ kubeConfig: { mode: 'kubeconfig', paths: [kubeconfig] } });
  const ref = await gateway.chaosKind('PodChaos');
  const execute: number[] = [];
  const create: number[] = [];
  try {
    await app.ready();
    const dev = await signIn(app, 'dev');
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: dev.headers, payload });
    for (let round = 0; round <= rounds; round++) {
      const body = { environment: 'dev', manifest: manifest(round) };
      const preview = (await post('/api/runs/preview', body)).json<{ hash: string }>();
      const run = (await post('/api/runs', { ...body, previewHash: preview.hash })).json<{
        id: string;
        crName: string;
      }>();
      const started = performance.now();
      const res = await post(`/api/runs/${run.id}/execute`, { previewHash: preview.hash });
      if (res.statusCode !== 202 || !(await exists(gateway, run.crName)))
        throw new Error(`execute failed: ${res.body}`);
      const executeMs = performance.now() - started;
      const bare = bareObject(round);
      const createStarted = performance.now();
      await gateway.create(bare);
      if (!(await exists(gateway, bare.metadata.name as string))) throw new Error('bare create failed');
      const createMs = performance.now() - createStarted;
      if (round > 0) {
        execute.push(executeMs);
        create.push(createMs);
      }
      await post(`/api/runs/${run.id}/abort`, { reason: 'bench' });
      await gateway.delete(ref, 'chaos-dev', bare.metadata.name as string);
      log(
        `round ${round}${round === 0 ? ' (warm-up)' : ''}: execute ${executeMs.toFixed(1)} ms, bare create ${createMs.toFixed(1)} ms`,
      );
    }
    return { rounds, executeMs: median(execute), createMs: median(create) };
  } finally {
    gateway.close();
    await app.close();
    await db.drop();
  }
}

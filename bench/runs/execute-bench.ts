import { createKubeGateway, type KubeObject } from '../../apps/api/src/kube';
import { seededUser, startChaosgate } from '../../test/e2e/harness';
import { signInOverHttp } from '../support/http';
import { median } from '../support/load';

export interface ExecuteBenchResult {
  rounds: number;
  /** Median ms from sending `POST /api/runs/:id/execute` to the CR's ADDED event on a watch. */
  executeToCr: number;
  /** Median ms from sending a bare create of an equivalent CR to its ADDED event. */
  createToCr: number;
  /** Median ms until the execute response arrived (it also records the run's timeline). */
  executeResponse: number;
  /** Median ms until the bare create's response arrived. */
  createResponse: number;
}

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

/**
 * When each PodChaos of chaos-dev first appeared, seen by one watch in this process: the same
 * observer times both paths, so its own delay cancels out of the ratio.
 */
async function watchArrivals(kubeconfig: string) {
  const gateway = createKubeGateway({ kubeConfig: { mode: 'kubeconfig', paths: [kubeconfig] } });
  const informer = gateway.createInformer(await gateway.chaosKind('PodChaos'), 'chaos-dev');
  const seen = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  informer.onChange((change) => {
    if (change.type !== 'ADDED') return;
    const name = change.object.metadata.name as string;
    const at = performance.now();
    if (!seen.has(name)) seen.set(name, at);
    waiting.get(name)?.(at);
  });
  await informer.start();
  return {
    gateway,
    /** When `name` appeared (waits for it, at most 30 s). */
    arrival(name: string): Promise<number> {
      const at = seen.get(name);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} never appeared`)), 30_000);
        waiting.set(name, (t) => {
          clearTimeout(timer);
          waiting.delete(name);
          resolve(t);
        });
      });
    },
    close() {
      informer.stop();
      gateway.close();
    },
  };
}

/**
 * Times execute against a bare create of the same kind of object, alternating: chaosgate runs in
 * its own process as in production, and a watch in this process sees each CR appear.
 */
export async function runExecuteBench(
  kubeconfig: string,
  rounds: number,
  log: (line: string) => void,
): Promise<ExecuteBenchResult> {
  const chaosgate = await startChaosgate({ kubeconfig });
  const watch = await watchArrivals(kubeconfig);
  const ref = await watch.gateway.chaosKind('PodChaos');
  const samples = {
    executeToCr: [] as number[],
    createToCr: [] as number[],
    executeResponse: [] as number[],
    createResponse: [] as number[],
  };
  try {
    const dev = seededUser('dev');
    const session = await signInOverHttp(chaosgate.baseUrl, dev.username, dev.password);
    for (let round = 0; round <= rounds; round++) {
      const body = { environment: 'dev', manifest: manifest(round) };
      const preview = (await (await session.post('/api/runs/preview', body)).json()) as { hash: string };
      const run = (await (await session.post('/api/runs', { ...body, previewHash: preview.hash })).json()) as {
        id: string;
        crName: string;
      };

      const started = performance.now();
      const response = await session.post(`/api/runs/${run.id}/execute`, { previewHash: preview.hash });
      const executeResponse = performance.now() - started;
      if (response.status !== 202) throw new Error(`execute answered ${response.status}: ${await response.text()}`);
      const executeToCr = (await watch.arrival(run.crName)) - started;

      const bare = bareObject(round);
      const createStarted = performance.now();
      await watch.gateway.create(bare);
      const createResponse = performance.now() - createStarted;
      const createToCr = (await watch.arrival(bare.metadata.name as string)) - createStarted;

      if (round > 0) {
        samples.executeToCr.push(executeToCr);
        samples.createToCr.push(createToCr);
        samples.executeResponse.push(executeResponse);
        samples.createResponse.push(createResponse);
      }
      await session.post(`/api/runs/${run.id}/abort`, { reason: 'bench' });
      await watch.gateway.delete(ref, 'chaos-dev', bare.metadata.name as string);
      log(
        `round ${round}${round === 0 ? ' (warm-up)' : ''}: execute → CR ${executeToCr.toFixed(1)} ms (response ${executeResponse.toFixed(1)} ms), ` +
          `bare create → CR ${createToCr.toFixed(1)} ms (response ${createResponse.toFixed(1)} ms)`,
      );
    }
    return {
      rounds,
      executeToCr: median(samples.executeToCr),
      createToCr: median(samples.createToCr),
      executeResponse: median(samples.executeResponse),
      createResponse: median(samples.createResponse),
    };
  } finally {
    watch.close();
    await chaosgate.stop();
  }
}

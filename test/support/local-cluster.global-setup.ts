import type { TestProject } from 'vitest/node';
import { startLocalCluster } from './local-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin kubeconfig of the run's local control plane. */
    kubeconfig: string;
    /** kubectl of the same Kubernetes version. */
    kubectl: string;
  }
}

/** One local control plane for the whole integration run; stopped when the run ends. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startLocalCluster();
  project.provide('kubeconfig', cluster.kubeconfig);
  project.provide('kubectl', cluster.kubectl);
  return () => cluster.stop();
}

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { expect, inject } from 'vitest';
import { AppError, type ErrorCode } from '../../apps/api/src/errors';
import { createKubeGateway, type KubeGateway, type KubeObject, type KubeSource } from '../../apps/api/src/kube';
import { REPO_ROOT } from './local-cluster';

const run = promisify(execFile);

/** The admin kubeconfig of the run's local control plane, as a gateway source. */
export function adminSource(): KubeSource {
  return { mode: 'kubeconfig', paths: [inject('kubeconfig')] };
}

/** A gateway with cluster-admin rights on the local control plane. */
export function adminGateway(): KubeGateway {
  return createKubeGateway({ kubeConfig: adminSource() });
}

/** Runs kubectl against the local control plane as admin, from the repository root. */
export async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(inject('kubectl'), ['--kubeconfig', inject('kubeconfig'), ...args], {
    cwd: REPO_ROOT,
  });
  return stdout;
}

/** A name no other test (or earlier run against a reused cluster) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** The status (`True`/`False`) of a Chaos Mesh condition, if the object reports it. */
export function chaosCondition(object: KubeObject, type: string): string | undefined {
  const status = object.status as { conditions?: { type: string; status: string }[] } | undefined;
  return status?.conditions?.find((c) => c.type === type)?.status;
}

/** A pod-kill PodChaos on `app: <app>` in `namespace`. */
export function podKill(
  name: string,
  namespace: string,
  app = 'order',
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: 'PodChaos',
    metadata: { name, namespace },
    spec: { action: 'pod-kill', mode: 'one', duration: '30s', selector: { labelSelectors: { app } }, ...spec },
  };
}

/** Awaits a rejection and checks it is the `AppError` with `code`. */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

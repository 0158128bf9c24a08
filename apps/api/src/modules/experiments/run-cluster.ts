import { AppError } from '../../errors';
import type { KubeGateway, KubeObject } from '../../kube';

/** Where a run's custom resource lives. */
export interface CrLocation {
  kind: string;
  namespace: string;
  name: string;
}

/** Server-side apply of a run's stored manifest (field manager `chaosgate`). */
export async function applyRunManifest(gateway: KubeGateway, manifest: KubeObject): Promise<KubeObject> {
  return gateway.apply(manifest);
}

/** The run's CR, or null when the cluster has none by that name. */
export async function getRunCr(gateway: KubeGateway, at: CrLocation): Promise<KubeObject | null> {
  const ref = await gateway.chaosKind(at.kind);
  try {
    return await gateway.get(ref, at.namespace, at.name);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CG_KUBE_NOT_FOUND') return null;
    throw err;
  }
}

/** What deleting a CR achieved. */
export type CrDeletion = 'deleted' | 'terminating' | 'absent';

/**
 * Deletes a run's CR so Chaos Mesh recovers its targets (background propagation: a Schedule's or
 * Workflow's children go too). `terminating` when finalizers still hold it (recovery pending).
 */
export async function deleteRunCr(gateway: KubeGateway, at: CrLocation): Promise<CrDeletion> {
  const ref = await gateway.chaosKind(at.kind);
  try {
    const result = await gateway.delete(ref, at.namespace, at.name, { propagationPolicy: 'Background' });
    return result.terminating ? 'terminating' : 'deleted';
  } catch (err) {
    if (err instanceof AppError && err.code === 'CG_KUBE_NOT_FOUND') return 'absent';
    throw err;
  }
}

export function crLocationOf(run: { kind: string; crName: string | null }, chaosNamespace: string): CrLocation | null {
  return run.crName ? { kind: run.kind, namespace: chaosNamespace, name: run.crName } : null;
}

import type { Environment, ManifestIssue } from '@chaosgate/shared';
import { AppError } from '../../errors';
import type { KubeGateway, KubeObject } from '../../kube';
import type { JsonObject } from './manifest-inspect';
import type { PodCache } from './pod-cache';

/** What the cluster said about a rendered manifest: problems, and checks it could not make. */
export interface ClusterVerdict {
  issues: ManifestIssue[];
  warnings: string[];
}

/** The chaos-mesh.org kinds the environment's cluster serves; null when it cannot be asked. */
export async function discoverKinds(gateway: KubeGateway): Promise<string[] | null> {
  try {
    const kinds = await gateway.discoverChaosKinds();
    return kinds.length > 0 ? kinds.map((k) => k.kind) : null;
  } catch (err) {
    if (err instanceof AppError && err.code === 'CG_KUBE_UNAVAILABLE') return null;
    throw err;
  }
}

function unreachable(err: unknown): boolean {
  return err instanceof AppError && err.code === 'CG_KUBE_UNAVAILABLE';
}

/** The blast radius against the environment's `maxPods`. */
export async function checkPodLimit(
  pods: PodCache,
  gateway: KubeGateway,
  manifest: JsonObject,
  env: Environment,
): Promise<ClusterVerdict> {
  try {
    const count = await pods.countSelected(gateway, manifest);
    if (count > env.policy.maxPods) {
      const issue: ManifestIssue = {
        path: 'spec.selector',
        code: 'CG_POLICY_LIMIT_EXCEEDED',
        message: `the selectors reach ${count} pods; ${env.name} allows at most ${env.policy.maxPods}`,
      };
      return { issues: [issue], warnings: [] };
    }
    return { issues: [], warnings: count === 0 ? ['the selectors match no pod right now'] : [] };
  } catch (err) {
    if (unreachable(err)) return { issues: [], warnings: [`pod count skipped: ${(err as Error).message}`] };
    throw err;
  }
}

/** The cluster's own verdict: a server-side apply with `dryRun=All` (admission included). */
export async function dryRun(gateway: KubeGateway, manifest: JsonObject): Promise<ClusterVerdict> {
  try {
    await gateway.apply(manifest as KubeObject, { dryRun: true });
    return { issues: [], warnings: [] };
  } catch (err) {
    if (unreachable(err)) return { issues: [], warnings: [`dry run skipped: ${(err as Error).message}`] };
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'CG_KUBE_UNKNOWN_KIND') {
      return { issues: [{ path: 'kind', code: 'CG_MANIFEST_NOT_CHAOS_KIND', message: err.message }], warnings: [] };
    }
    const causes = ((err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? []).map(
      (c): ManifestIssue => ({ path: c.path || '$', message: c.message, code: 'CG_MANIFEST_DRY_RUN_REJECTED' }),
    );
    const issues =
      causes.length > 0 ? causes : [{ path: '$', message: err.message, code: 'CG_MANIFEST_DRY_RUN_REJECTED' as const }];
    return { issues, warnings: [] };
  }
}

import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import type { KubeGateway } from '../../kube';
import { dryRun } from './composer-cluster';

const gatewayThrowing = (err: unknown) => ({ apply: async () => Promise.reject(err) }) as unknown as KubeGateway;
const MANIFEST = {
  apiVersion: 'chaos-mesh.org/v1alpha1',
  kind: 'PodChaos',
  metadata: { name: 'x', namespace: 'chaos-dev' },
};

describe('dryRun', () => {
  it("reports the apiserver's causes with their field paths", async () => {
    const err = new AppError('CG_KUBE_INVALID', 'apply PodChaos chaos-dev/x: invalid', {
      issues: [{ path: 'spec.mode', message: 'Unsupported value: "some"' }],
    });
    expect(await dryRun(gatewayThrowing(err), MANIFEST)).toEqual({
      issues: [{ path: 'spec.mode', message: 'Unsupported value: "some"', code: 'CG_MANIFEST_DRY_RUN_REJECTED' }],
      warnings: [],
    });
  });

  it('reports an admission refusal without causes as one problem', async () => {
    const err = new AppError('CG_KUBE_FORBIDDEN', 'apply PodChaos chaos-dev/x: denied by webhook');
    const verdict = await dryRun(gatewayThrowing(err), MANIFEST);
    expect(verdict.issues).toEqual([expect.objectContaining({ path: '$', code: 'CG_MANIFEST_DRY_RUN_REJECTED' })]);
  });

  it('maps an unserved kind to CG_MANIFEST_NOT_CHAOS_KIND', async () => {
    const verdict = await dryRun(gatewayThrowing(new AppError('CG_KUBE_UNKNOWN_KIND', 'not served')), MANIFEST);
    expect(verdict.issues[0]?.code).toBe('CG_MANIFEST_NOT_CHAOS_KIND');
  });

  it('skips with a warning when the cluster is unreachable', async () => {
    const verdict = await dryRun(gatewayThrowing(new AppError('CG_KUBE_UNAVAILABLE', 'down')), MANIFEST);
    expect(verdict).toEqual({ issues: [], warnings: ['dry run skipped: down'] });
  });
});

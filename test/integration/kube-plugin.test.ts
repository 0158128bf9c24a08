import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { APPS_REFS } from '../../apps/api/src/kube';
import { buildTestApp, type TestApp } from '../../apps/api/src/testing/test-app';
import { expectAppError } from '../support/kube';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ KUBECONFIG: inject('kubeconfig') });
});
afterEach(async () => {
  await t.close();
});

describe('the kube plugin with the local control plane', () => {
  it('reports the cluster ready in /readyz', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toEqual({ database: { ok: true }, kubernetes: { ok: true } });
  });

  it("gives each environment the gateway of its context (empty: the kubeconfig's current one)", async () => {
    expect(t.app.kube.enabled).toBe(true);
    const dev = await t.app.kube.forEnvironment('dev');
    expect(dev.context).toBe('local');
    expect((await dev.list(APPS_REFS.deployments, 'chaos-dev')).items.length).toBeGreaterThan(0);
    expect(await t.app.kube.forEnvironment('prod')).toBe(dev);
  });

  it('answers CG_ENV_NOT_FOUND for an unknown environment and CG_KUBE_UNAVAILABLE for an unknown context', async () => {
    await expectAppError(t.app.kube.forEnvironment('nope'), 'CG_ENV_NOT_FOUND');
    await t.db.database.prisma.environment.update({ where: { name: 'staging' }, data: { kubeContext: 'elsewhere' } });
    const err = await expectAppError(t.app.kube.forEnvironment('staging'), 'CG_KUBE_UNAVAILABLE');
    expect(err.message).toContain('context "elsewhere"');
  });
});

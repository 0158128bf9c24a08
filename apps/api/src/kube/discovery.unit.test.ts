import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createDiscovery } from './discovery';
import type { KubeRequest, KubeTransport } from './transport';

const chaosGroup = {
  kind: 'APIGroup',
  preferredVersion: { groupVersion: 'chaos-mesh.org/v1alpha1', version: 'v1alpha1' },
};
const resource = (name: string, kind: string, namespaced = true) => ({
  name,
  kind,
  namespaced,
  verbs: ['get', 'list'],
});

/** Answers from a path → body table (a function lets a test change answers over time). */
function fakeTransport(answer: (path: string) => unknown) {
  const calls: string[] = [];
  const transport: KubeTransport = {
    async json<T>(request: KubeRequest) {
      calls.push(request.path);
      const body = answer(request.path);
      if (body === undefined) throw new AppError('CG_KUBE_NOT_FOUND', `${request.what}: not found`);
      return body as T;
    },
    text: async () => 'ok',
  };
  return { transport, calls };
}

describe('createDiscovery', () => {
  it('lists the chaos kinds of the preferred version, without subresources, and caches them', async () => {
    const fake = fakeTransport((path) => {
      if (path === '/apis/chaos-mesh.org') return chaosGroup;
      if (path === '/apis/chaos-mesh.org/v1alpha1') {
        return {
          resources: [
            resource('podchaos', 'PodChaos'),
            resource('podchaos/status', 'PodChaos'),
            resource('remoteclusters', 'RemoteCluster', false),
          ],
        };
      }
    });
    const discovery = createDiscovery(fake.transport);
    const kinds = await discovery.chaosKinds();
    expect(kinds.map((k) => [k.kind, k.plural, k.namespaced])).toEqual([
      ['PodChaos', 'podchaos', true],
      ['RemoteCluster', 'remoteclusters', false],
    ]);
    await discovery.chaosKinds();
    await discovery.resolveChaosKind('PodChaos');
    expect(fake.calls).toEqual(['/apis/chaos-mesh.org', '/apis/chaos-mesh.org/v1alpha1']);
    await discovery.chaosKinds({ refresh: true });
    expect(fake.calls).toHaveLength(4);
  });

  it('resolves core and group kinds to their plural and scope', async () => {
    const fake = fakeTransport((path) =>
      path === '/api/v1'
        ? { resources: [resource('pods', 'Pod'), resource('namespaces', 'Namespace', false)] }
        : undefined,
    );
    const discovery = createDiscovery(fake.transport);
    expect(await discovery.resolve('v1', 'Namespace')).toEqual({
      group: '',
      version: 'v1',
      plural: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
    });
  });

  it('answers CG_KUBE_UNKNOWN_KIND for a kind or group the server does not serve', async () => {
    const fake = fakeTransport((path) =>
      path === '/apis/chaos-mesh.org/v1alpha1' ? { resources: [resource('podchaos', 'PodChaos')] } : undefined,
    );
    const discovery = createDiscovery(fake.transport);
    await expect(discovery.resolve('chaos-mesh.org/v1alpha1', 'ExplodeChaos')).rejects.toMatchObject({
      code: 'CG_KUBE_UNKNOWN_KIND',
      details: { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'ExplodeChaos' },
    });
    await expect(discovery.resolve('nope.example.com/v1', 'Thing')).rejects.toMatchObject({
      code: 'CG_KUBE_UNKNOWN_KIND',
    });
    expect(await createDiscovery(fakeTransport(() => undefined).transport).chaosKinds()).toEqual([]);
  });

  it('asks again on a miss once the cached answer is old enough (a CRD installed since)', async () => {
    let now = 0;
    let served = [resource('podchaos', 'PodChaos')];
    const fake = fakeTransport(() => ({ resources: served }));
    const discovery = createDiscovery(fake.transport, { now: () => now, missRefreshMs: 10_000 });
    await discovery.resolve('chaos-mesh.org/v1alpha1', 'PodChaos');
    served = [...served, resource('newchaos', 'NewChaos')];
    await expect(discovery.resolve('chaos-mesh.org/v1alpha1', 'NewChaos')).rejects.toBeInstanceOf(AppError);
    now = 10_000;
    expect((await discovery.resolve('chaos-mesh.org/v1alpha1', 'NewChaos')).plural).toBe('newchaos');
  });

  it('forgets a failed discovery so the next call retries', async () => {
    let fail = true;
    const transport: KubeTransport = {
      async json<T>() {
        if (fail) throw new AppError('CG_KUBE_UNAVAILABLE', 'down');
        return { resources: [resource('pods', 'Pod')] } as T;
      },
      text: async () => 'ok',
    };
    const discovery = createDiscovery(transport);
    await expect(discovery.resolve('v1', 'Pod')).rejects.toMatchObject({ code: 'CG_KUBE_UNAVAILABLE' });
    fail = false;
    expect((await discovery.resolve('v1', 'Pod')).plural).toBe('pods');
  });
});

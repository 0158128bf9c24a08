import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { APPS_REFS, CORE_REFS, type KubeGateway, type KubeObject, type ResourceRef } from '../../apps/api/src/kube';
import { adminGateway, chaosCondition, expectAppError, podKill, uniqueName } from '../support/kube';
import { REPO_ROOT } from '../support/local-cluster';

interface Crd {
  kind: string;
  spec: { group: string; scope: string; names: { kind: string; plural: string } };
}

/** The Chaos Mesh kinds the pinned CRD file defines (what discovery must report). */
function crdKinds(): Crd['spec'][] {
  const file = path.join(REPO_ROOT, 'deploy/local-cluster/crds/chaos-mesh-v2.8.3.yaml');
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as Crd | null)
    .filter((crd): crd is Crd => crd?.kind === 'CustomResourceDefinition' && crd.spec.group === 'chaos-mesh.org')
    .map((crd) => crd.spec);
}

/** Resolves with the first watched object `accept`s; rejects after `timeoutMs` or if the watch ends. */
function watchUntil(
  target: { ref: ResourceRef; namespace: string; name: string; resourceVersion?: string },
  accept: (object: KubeObject) => boolean,
  timeoutMs = 20_000,
): Promise<KubeObject> {
  const { ref, namespace, name, resourceVersion } = target;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching event for ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = gateway.watch(ref, namespace, {
      fieldSelector: `metadata.name=${name}`,
      ...(resourceVersion ? { resourceVersion } : {}),
      onEvent(event) {
        if (event.type !== 'BOOKMARK' && accept(event.object)) {
          clearTimeout(timer);
          stop();
          resolve(event.object);
        }
      },
      onEnd(end) {
        clearTimeout(timer);
        reject(new Error(`watch ended before a match: ${end.reason}`));
      },
    });
  });
}

let gateway: KubeGateway;
beforeAll(() => {
  gateway = adminGateway();
});
afterAll(() => {
  gateway.close();
});

describe('kube gateway: discovery', () => {
  it('discovers exactly the chaos kinds of the pinned CRDs, with their plurals and scope', async () => {
    const expected = crdKinds();
    const kinds = await gateway.discoverChaosKinds();
    expect(kinds.map((k) => k.kind).sort()).toEqual(expected.map((c) => c.names.kind).sort());
    for (const crd of expected) {
      expect(kinds.find((k) => k.kind === crd.names.kind)).toMatchObject({
        group: 'chaos-mesh.org',
        version: 'v1alpha1',
        plural: crd.names.plural,
        namespaced: crd.scope === 'Namespaced',
      });
    }
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['PodChaos', 'NetworkChaos', 'Schedule', 'Workflow']),
    );
  });

  it('reads the server version and readiness', async () => {
    expect((await gateway.version()).gitVersion).toMatch(/^v1\.\d+\.\d+/);
    await expect(gateway.ping(2000)).resolves.toBeUndefined();
  });
});

describe('kube gateway: reads', () => {
  it('lists the demo workloads of a namespace with a label selector and a resourceVersion', async () => {
    const all = await gateway.list(APPS_REFS.deployments, 'chaos-dev');
    expect(all.items.map((d) => d.metadata.name)).toEqual(expect.arrayContaining(['order', 'payment', 'gateway']));
    expect(all.resourceVersion).toMatch(/^\d+$/);
    expect(all.items.every((d) => d.kind === 'Deployment' && d.apiVersion === 'apps/v1')).toBe(true);

    const order = await gateway.list(CORE_REFS.pods, 'chaos-dev', { labelSelector: 'app=order', pageSize: 1 });
    expect(order.items.length).toBeGreaterThanOrEqual(2);
    expect(order.items.every((p) => p.metadata.labels?.app === 'order')).toBe(true);
  });

  it('gets one object and answers CG_KUBE_NOT_FOUND for a missing one', async () => {
    const order = await gateway.get(APPS_REFS.deployments, 'chaos-dev', 'order');
    expect(order.metadata.namespace).toBe('chaos-dev');
    await expectAppError(gateway.get(APPS_REFS.deployments, 'chaos-dev', 'no-such-app'), 'CG_KUBE_NOT_FOUND');
  });
});

describe('kube gateway: a PodChaos from apply to deletion', () => {
  it('applies it, sees the simulator report AllInjected=True, deletes it and sees it gone', async () => {
    const ref = await gateway.chaosKind('PodChaos');
    const name = uniqueName('it-pod-kill');
    const applied = await gateway.apply(podKill(name, 'chaos-dev'));
    const managers = (applied.metadata.managedFields as { manager: string; operation: string }[]).map(
      (m) => `${m.manager}/${m.operation}`,
    );
    expect(managers).toContain('chaosgate/Apply');

    const injected = await watchUntil(
      { ref, namespace: 'chaos-dev', name, resourceVersion: applied.metadata.resourceVersion },
      (o) => chaosCondition(o, 'AllInjected') === 'True',
    );
    expect(chaosCondition(injected, 'Selected')).toBe('True');
    const records = (injected.status as { experiment?: { containerRecords?: { id: string }[] } }).experiment;
    expect(records?.containerRecords?.[0]?.id).toMatch(/^chaos-dev\/order-/);

    await gateway.delete(ref, 'chaos-dev', name, { propagationPolicy: 'Foreground' });
    await vi.waitFor(() => expectAppError(gateway.get(ref, 'chaos-dev', name), 'CG_KUBE_NOT_FOUND'), {
      timeout: 15_000,
      interval: 250,
    });
    await expectAppError(gateway.delete(ref, 'chaos-dev', name), 'CG_KUBE_NOT_FOUND');
  });

  it('reports a deleted chaos object still held by finalizers as terminating', async () => {
    const ref = await gateway.chaosKind('StressChaos');
    const name = uniqueName('it-stuck');
    const holdFinalizers = (value: string) =>
      gateway.patch(CORE_REFS.configMaps, 'chaos-mesh', 'chaos-mesh-simulator', { data: { holdFinalizers: value } });
    await holdFinalizers('true');
    try {
      await gateway.apply({
        apiVersion: 'chaos-mesh.org/v1alpha1',
        kind: 'StressChaos',
        metadata: { name, namespace: 'chaos-staging' },
        spec: { mode: 'one', selector: { labelSelectors: { app: 'inventory' } }, stressors: { cpu: { workers: 1 } } },
      });
      await vi.waitFor(
        async () => expect(chaosCondition(await gateway.get(ref, 'chaos-staging', name), 'AllInjected')).toBe('True'),
        { timeout: 15_000, interval: 250 },
      );
      const deleted = await gateway.delete(ref, 'chaos-staging', name);
      expect(deleted.terminating).toBe(true);
      expect(deleted.object?.metadata.finalizers).toContain('chaos-mesh/records');
      const still = await gateway.get(ref, 'chaos-staging', name);
      expect(still.metadata.deletionTimestamp).toBeTruthy();
    } finally {
      await holdFinalizers('false');
    }
    await vi.waitFor(() => expectAppError(gateway.get(ref, 'chaos-staging', name), 'CG_KUBE_NOT_FOUND'), {
      timeout: 15_000,
      interval: 250,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPS_REFS,
  createKubeGateway,
  type KubeGateway,
  type ResourceAttributes,
  tokenSource,
} from '../../apps/api/src/kube';
import { adminGateway, expectAppError, kubectl, podKill, uniqueName } from '../support/kube';

/**
 * Least privilege, proven on the real RBAC authorizer: the manifests in k8s/ are applied, then
 * SubjectAccessReviews ask what each environment's ServiceAccount may do, and a gateway using
 * a minted token for it does the real thing.
 */

const ENVS = ['dev', 'staging', 'prod'] as const;
const OFF_LIMITS = ['default', 'kube-system', 'monitoring', 'platform'];
const CHAOS_VERBS = ['create', 'get', 'list', 'watch', 'patch', 'delete'];
const READ_VERBS = ['get', 'list', 'watch'];

const serviceAccount = (env: string) => ({
  user: `system:serviceaccount:platform:chaos-platform-${env}`,
  groups: ['system:serviceaccounts', 'system:serviceaccounts:platform', 'system:authenticated'],
});

const describeAttrs = (a: ResourceAttributes) =>
  `${a.verb} ${a.group ? `${a.group}/` : ''}${a.resource}${a.subresource ? `/${a.subresource}` : ''} in ${a.namespace || '(cluster)'}`;

let admin: KubeGateway;
let chaosPlurals: string[];
beforeAll(async () => {
  await kubectl('apply', '-f', 'k8s/', '--recursive');
  admin = adminGateway();
  chaosPlurals = (await admin.discoverChaosKinds()).map((k) => k.plural);
});
afterAll(() => {
  admin.close();
});

/** The access reviews whose answer differs from `expected`, described for the failure message. */
async function mismatches(env: string, attributes: ResourceAttributes[], expected: boolean): Promise<string[]> {
  const decisions = await Promise.all(attributes.map((a) => admin.subjectAccessReview(serviceAccount(env), a)));
  return attributes.filter((_, i) => decisions[i]?.allowed !== expected).map(describeAttrs);
}

/** Everything the Role grants, in `namespace`. */
function granted(namespace: string, plurals: string[]): ResourceAttributes[] {
  return [
    ...plurals.flatMap((resource) =>
      CHAOS_VERBS.map((verb) => ({ verb, group: 'chaos-mesh.org', resource, namespace })),
    ),
    ...['pods', 'services'].flatMap((resource) => READ_VERBS.map((verb) => ({ verb, resource, namespace }))),
    ...['deployments', 'statefulsets', 'daemonsets'].flatMap((resource) =>
      READ_VERBS.map((verb) => ({ verb, group: 'apps', resource, namespace })),
    ),
  ];
}

/** Things no environment's ServiceAccount may do even in its own namespace. */
function neverInOwnNamespace(namespace: string): ResourceAttributes[] {
  return [
    { verb: 'update', group: 'chaos-mesh.org', resource: 'podchaos', namespace },
    { verb: 'deletecollection', group: 'chaos-mesh.org', resource: 'podchaos', namespace },
    { verb: 'get', resource: 'secrets', namespace },
    { verb: 'list', resource: 'secrets', namespace },
    { verb: 'get', resource: 'configmaps', namespace },
    { verb: 'create', resource: 'pods', namespace },
    { verb: 'delete', resource: 'pods', namespace },
    { verb: 'create', resource: 'pods', subresource: 'exec', namespace },
    { verb: 'patch', resource: 'services', namespace },
    { verb: 'patch', group: 'apps', resource: 'deployments', namespace },
    { verb: 'delete', group: 'apps', resource: 'deployments', namespace },
    { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace },
    { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace },
    { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace },
  ];
}

/** Cluster-wide requests (namespace ''), all denied. */
const CLUSTER_WIDE: ResourceAttributes[] = [
  { verb: 'list', resource: 'namespaces' },
  { verb: 'list', resource: 'nodes' },
  { verb: 'list', resource: 'pods' },
  { verb: 'list', group: 'chaos-mesh.org', resource: 'podchaos' },
  { verb: 'get', group: 'chaos-mesh.org', resource: 'remoteclusters' },
  { verb: 'list', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
  { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
];

describe.each(ENVS)('RBAC of chaos-platform-%s', (env) => {
  const own = `chaos-${env}`;

  it(`may do exactly what its Role grants in ${own}`, async () => {
    expect(await mismatches(env, granted(own, chaosPlurals), true)).toEqual([]);
    expect(await mismatches(env, neverInOwnNamespace(own), false)).toEqual([]);
  });

  it('may do nothing in other namespaces or cluster-wide', async () => {
    const elsewhere = [...OFF_LIMITS, ...ENVS.filter((e) => e !== env).map((e) => `chaos-${e}`)];
    const attempts = elsewhere.flatMap((namespace) => [
      ...granted(namespace, ['podchaos', 'networkchaos', 'schedules', 'workflows']),
      { verb: 'get', resource: 'secrets', namespace },
    ]);
    expect(await mismatches(env, [...attempts, ...CLUSTER_WIDE], false)).toEqual([]);
  });
});

describe('a gateway holding the dev ServiceAccount token', () => {
  let asDev: KubeGateway;
  beforeAll(async () => {
    const token = await admin.requestServiceAccountToken('platform', 'chaos-platform-dev', { expirationSeconds: 600 });
    asDev = createKubeGateway({ kubeConfig: tokenSource(admin.clusterEndpoint(), token) });
  });
  afterAll(() => {
    asDev.close();
  });

  it('knows who it is: allowed in chaos-dev, not in default', async () => {
    const create = { verb: 'create', group: 'chaos-mesh.org', resource: 'podchaos' };
    expect((await asDev.selfSubjectAccessReview({ ...create, namespace: 'chaos-dev' })).allowed).toBe(true);
    expect((await asDev.selfSubjectAccessReview({ ...create, namespace: 'default' })).allowed).toBe(false);
  });

  it('lists deployments and creates and deletes a chaos object in chaos-dev', async () => {
    const deployments = await asDev.list(APPS_REFS.deployments, 'chaos-dev');
    expect(deployments.items.map((d) => d.metadata.name)).toContain('order');
    const ref = await asDev.chaosKind('PodChaos');
    const name = uniqueName('it-as-dev');
    await asDev.apply(podKill(name, 'chaos-dev'));
    expect((await asDev.get(ref, 'chaos-dev', name)).metadata.name).toBe(name);
    await asDev.delete(ref, 'chaos-dev', name);
  });

  it('gets CG_KUBE_FORBIDDEN for the same in default, another environment, and cluster-wide', async () => {
    const ref = await asDev.chaosKind('PodChaos');
    const forbidden = await expectAppError(asDev.list(APPS_REFS.deployments, 'default'), 'CG_KUBE_FORBIDDEN');
    expect(forbidden.statusCode).toBe(403);
    await expectAppError(asDev.apply(podKill(uniqueName('it-nope'), 'default')), 'CG_KUBE_FORBIDDEN');
    await expectAppError(asDev.create(podKill(uniqueName('it-nope'), 'chaos-prod')), 'CG_KUBE_FORBIDDEN');
    await expectAppError(asDev.delete(ref, 'default', 'anything'), 'CG_KUBE_FORBIDDEN');
    await expectAppError(asDev.list(ref, null), 'CG_KUBE_FORBIDDEN');
    const end = await new Promise((resolve) =>
      asDev.watch(APPS_REFS.deployments, 'kube-system', { onEvent: () => {}, onEnd: resolve }),
    );
    expect(end).toMatchObject({ reason: 'failed', error: { code: 'CG_KUBE_FORBIDDEN' } });
  });
});

import { MANIFEST_MAX_BYTES } from '@chaosgate/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { TestApp } from '../../testing/test-app';
import { hashManifest } from './manifest-render';
import { buildRunsTestApp, Client, POD_KILL, podKillYaml, snapshot } from './testing/api';

let t: TestApp;
let dev: Client;
beforeEach(async () => {
  t = await buildRunsTestApp();
  dev = await Client.as(t, 'dev');
});
afterEach(async () => {
  await t.close();
});

const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x"]',
  ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(8).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
].join('\n');

const kindOnly = (apiVersion: string, kind: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n`;

/** Bad manifests, the code each must produce, and (for schema and policy) the paths named. */
const BAD: [string, string, string, number, string[]?][] = [
  ['malformed YAML', 'kind: PodChaos\n  spec: [oops\n', 'CG_MANIFEST_INVALID_YAML', 400],
  ['a YAML bomb', BOMB, 'CG_MANIFEST_INVALID_YAML', 400],
  ['an oversized manifest', `${POD_KILL}# ${'x'.repeat(MANIFEST_MAX_BYTES)}\n`, 'CG_MANIFEST_TOO_LARGE', 413],
  ['two documents', `${POD_KILL}---\n${POD_KILL}`, 'CG_MANIFEST_INVALID_YAML', 400],
  ['a custom tag', `${POD_KILL}  duration: !!binary MzBz\n`, 'CG_MANIFEST_INVALID_YAML', 400],
  ['a Deployment', kindOnly('apps/v1', 'Deployment'), 'CG_MANIFEST_NOT_CHAOS_KIND', 422],
  ['a ClusterRole', kindOnly('rbac.authorization.k8s.io/v1', 'ClusterRole'), 'CG_MANIFEST_NOT_CHAOS_KIND', 422],
  ['a Secret', kindOnly('v1', 'Secret'), 'CG_MANIFEST_NOT_CHAOS_KIND', 422],
  [
    'a non-chaos kind in the chaos group',
    kindOnly('chaos-mesh.org/v1alpha1', 'Deployment'),
    'CG_MANIFEST_NOT_CHAOS_KIND',
    422,
  ],
  [
    'a schema violation',
    podKillYaml('labelSelectors:\n      app: order', '  mode: sometimes\n  selecter: {}\n').replace(
      '  mode: one\n',
      '',
    ),
    'CG_MANIFEST_SCHEMA_VIOLATION',
    422,
    ['spec.mode', 'spec.selecter'],
  ],
  ['an empty selector', podKillYaml('namespaces: [chaos-dev]'), 'CG_POLICY_SELECTOR_EMPTY', 422, ['spec.selector']],
  [
    'a forbidden namespace',
    podKillYaml('namespaces: [kube-system]\n    labelSelectors:\n      app: order'),
    'CG_POLICY_NAMESPACE_FORBIDDEN',
    403,
    ['spec.selector.namespaces[0]'],
  ],
  [
    'a namespace outside the environment',
    podKillYaml('namespaces: [chaos-prod]\n    labelSelectors:\n      app: order'),
    'CG_POLICY_NAMESPACE_OUTSIDE_ENV',
    403,
    ['spec.selector.namespaces[0]'],
  ],
  [
    'a duration over the limit',
    podKillYaml('labelSelectors:\n      app: order', '  duration: 3h\n').replace('pod-kill', 'pod-failure'),
    'CG_POLICY_LIMIT_EXCEEDED',
    422,
    ['spec.duration'],
  ],
];

describe('POST /api/runs/preview', () => {
  it.each(BAD)('refuses %s with its code and paths, changing nothing', async (_what, manifest, code, status, paths) => {
    const before = await snapshot(t);
    const res = await dev.post('/api/runs/preview', { environment: 'dev', manifest });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    const errors = res.json().error.details.errors as { path: string; code: string }[];
    expect(errors[0]?.code).toBe(code);
    if (paths) expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(paths));
    expect(await snapshot(t)).toEqual(before);
  });

  it('renders the manifest chaosgate will apply, with its hash', async () => {
    const res = await dev.post('/api/runs/preview', { environment: 'dev', manifest: POD_KILL });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.manifest.metadata).toMatchObject({
      namespace: 'chaos-dev',
      name: expect.stringMatching(/^cg-[0-9a-f]{10}$/),
      labels: { 'app.kubernetes.io/managed-by': 'chaosgate', 'chaosgate.dev/environment': 'dev' },
      annotations: { 'chaosgate.dev/submitted-by': 'dev' },
    });
    expect(body.manifest.spec.selector.namespaces).toEqual(['chaos-dev']);
    expect(body.hash).toBe(hashManifest(YAML.parse(body.yaml)));
    expect(body.warnings).toEqual(expect.arrayContaining([expect.stringContaining('kill-order')]));
  });

  it('refuses a probe URL outside the allow-list', async () => {
    const rules = { http: [{ name: 'meta', url: 'http://169.254.169.254/latest' }] };
    const res = await dev.post('/api/runs/preview', { environment: 'dev', manifest: POD_KILL, rules });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'CG_POLICY_PROBE_URL_FORBIDDEN',
      details: { errors: [{ path: 'rules.http[0].url' }] },
    });
  });

  it('refuses a Prometheus URL that only looks like an allowed one', async () => {
    const rules = {
      prometheus: [{ name: 'p', url: 'http://127.0.0.1.nip.io:9090', query: 'up', comparison: '==', threshold: 1 }],
    };
    const res = await dev.post('/api/runs/preview', { environment: 'dev', manifest: POD_KILL, rules });
    expect(res.json().error.code).toBe('CG_POLICY_PROBE_URL_FORBIDDEN');
  });

  it('answers 404 for an unknown environment and 400 for a malformed body', async () => {
    expect((await dev.post('/api/runs/preview', { environment: 'qa', manifest: POD_KILL })).statusCode).toBe(404);
    const res = await dev.post('/api/runs/preview', { environment: 'dev' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CG_VALIDATION_FAILED');
  });
});

describe('POST /api/runs/validate', () => {
  it('lists every problem inline with 200', async () => {
    const manifest = podKillYaml('namespaces: [default, elsewhere]', '  duration: forever\n').replace(
      'pod-kill',
      'pod-failure',
    );
    const res = await dev.post('/api/runs/validate', { environment: 'dev', manifest });
    expect(res.statusCode).toBe(200);
    expect(res.json().valid).toBe(false);
    expect(res.json().errors.map((e: { code: string; path: string }) => `${e.code} ${e.path}`)).toEqual([
      'CG_MANIFEST_SCHEMA_VIOLATION spec.duration',
      'CG_POLICY_SELECTOR_EMPTY spec.selector',
      'CG_POLICY_NAMESPACE_FORBIDDEN spec.selector.namespaces[0]',
      'CG_POLICY_NAMESPACE_OUTSIDE_ENV spec.selector.namespaces[1]',
    ]);
  });

  it.each(BAD)('reports %s as a problem, not an error response', async (_what, manifest, code) => {
    const res = await dev.post('/api/runs/validate', { environment: 'dev', manifest });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      valid: false,
      errors: expect.arrayContaining([expect.objectContaining({ code })]),
    });
  });

  it('accepts a good manifest and says what it could not check', async () => {
    const res = await dev.post('/api/runs/validate', { environment: 'dev', manifest: POD_KILL });
    expect(res.json()).toMatchObject({ valid: true, errors: [] });
    expect(res.json().warnings).toEqual(expect.arrayContaining([expect.stringContaining('no cluster')]));
  });

  it('enforces the allowed kinds of an environment', async () => {
    const sre = await Client.as(t, 'sre');
    const manifest = POD_KILL.replace('kind: PodChaos', 'kind: IOChaos').replace('action: pod-kill', 'action: latency');
    const res = await sre.post('/api/runs/validate', { environment: 'prod', manifest });
    expect(res.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'CG_POLICY_KIND_FORBIDDEN', path: 'kind' })]),
    );
  });

  it('requires a session and a CSRF token', async () => {
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/runs/validate',
      payload: { environment: 'dev', manifest: POD_KILL },
    });
    expect(anonymous.statusCode).toBe(403);
    const noCsrf = await dev.post(
      '/api/runs/validate',
      { environment: 'dev', manifest: POD_KILL },
      { cookie: dev.session.cookie },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CG_AUTH_CSRF_INVALID');
  });
});

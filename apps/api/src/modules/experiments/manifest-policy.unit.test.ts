import type { Environment, ValidationRules } from '@chaosgate/shared';
import { validationRulesSchema } from '@chaosgate/shared';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from './manifest-inspect';
import { evaluatePolicy, runLimitSeconds } from './manifest-policy';
import { isPrivateAddress, matchAllowList } from './probe-url';
import { DEV } from './testing/fixtures';

const FORBIDDEN = ['default', 'kube-system', 'monitoring'];
const NO_RULES: ValidationRules = validationRulesSchema.parse({});

const podChaos = (spec: JsonObject): JsonObject => ({ apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', spec });
const check = (manifest: JsonObject, env: Environment = DEV, rules: ValidationRules = NO_RULES) =>
  evaluatePolicy({ manifest, environment: env, forbiddenNamespaces: FORBIDDEN, rules });
const issues = (manifest: JsonObject, env?: Environment, rules?: ValidationRules) =>
  check(manifest, env, rules).issues.map((i) => `${i.code} ${i.path}`);

describe('evaluatePolicy', () => {
  it('passes a scoped pod-kill', () => {
    expect(
      issues(podChaos({ action: 'pod-kill', mode: 'one', selector: { labelSelectors: { app: 'order' } } })),
    ).toEqual([]);
  });

  it.each([
    [{}, 'spec.selector'],
    [{ namespaces: ['shop'] }, 'spec.selector'],
    [{ labelSelectors: {} }, 'spec.selector'],
  ])('refuses a selector that narrows nothing: %j', (selector, path) => {
    expect(issues(podChaos({ action: 'pod-kill', mode: 'all', selector }))).toEqual([
      `CG_POLICY_SELECTOR_EMPTY ${path}`,
    ]);
  });

  it('refuses a missing selector', () => {
    expect(issues(podChaos({ action: 'pod-kill', mode: 'all' }))).toEqual(['CG_POLICY_SELECTOR_EMPTY spec.selector']);
  });

  it('refuses forbidden and foreign namespaces with their index', () => {
    const selector = { namespaces: ['shop', 'kube-system', 'payments'], labelSelectors: { app: 'x' } };
    expect(issues(podChaos({ action: 'pod-kill', mode: 'all', selector }))).toEqual([
      'CG_POLICY_NAMESPACE_FORBIDDEN spec.selector.namespaces[1]',
      'CG_POLICY_NAMESPACE_OUTSIDE_ENV spec.selector.namespaces[2]',
    ]);
  });

  it('checks the namespaces of an explicit pod list', () => {
    const selector = { pods: { default: ['nginx-0'] } };
    expect(issues(podChaos({ action: 'pod-kill', mode: 'all', selector }))).toEqual([
      'CG_POLICY_NAMESPACE_FORBIDDEN spec.selector.pods.default',
    ]);
  });

  it('checks nested selectors such as a NetworkChaos target', () => {
    const manifest = {
      kind: 'NetworkChaos',
      spec: {
        action: 'partition',
        mode: 'one',
        selector: { labelSelectors: { app: 'a' } },
        target: { mode: 'one', selector: { namespaces: ['monitoring'] } },
      },
    };
    expect(issues(manifest)).toEqual([
      'CG_POLICY_SELECTOR_EMPTY spec.target.selector',
      'CG_POLICY_NAMESPACE_FORBIDDEN spec.target.selector.namespaces[0]',
    ]);
  });

  it('checks the chaos a Schedule embeds', () => {
    const manifest = {
      kind: 'Schedule',
      spec: { schedule: '@every 1m', type: 'PodChaos', podChaos: { action: 'pod-kill', mode: 'one', selector: {} } },
    };
    expect(issues(manifest)).toEqual(['CG_POLICY_SELECTOR_EMPTY spec.podChaos.selector']);
  });

  it('checks every Workflow template, and refuses Task templates', () => {
    const manifest = {
      kind: 'Workflow',
      spec: {
        entry: 'e',
        templates: [
          { name: 'e', templateType: 'Serial', deadline: '2h', children: ['a', 'b'] },
          {
            name: 'a',
            templateType: 'NetworkChaos',
            networkChaos: {
              action: 'delay',
              mode: 'all',
              selector: { namespaces: ['default'], labelSelectors: { a: 'b' } },
            },
          },
          { name: 'b', templateType: 'Task', task: { container: { name: 'x', image: 'busybox' } } },
          {
            name: 'c',
            templateType: 'Schedule',
            schedule: { type: 'PodChaos', podChaos: { action: 'pod-kill', mode: 'one' } },
          },
        ],
      },
    };
    expect(issues(manifest)).toEqual([
      'CG_POLICY_NAMESPACE_FORBIDDEN spec.templates[1].networkChaos.selector.namespaces[0]',
      'CG_POLICY_SELECTOR_EMPTY spec.templates[3].schedule.podChaos.selector',
      'CG_POLICY_LIMIT_EXCEEDED spec.templates[0].deadline',
      'CG_POLICY_KIND_FORBIDDEN spec.templates[2].task',
    ]);
  });

  it('enforces the maximum duration, reading Go durations', () => {
    const base = { action: 'pod-failure', mode: 'one', selector: { labelSelectors: { a: 'b' } } };
    expect(issues(podChaos({ ...base, duration: '59m30s' }))).toEqual([]);
    expect(issues(podChaos({ ...base, duration: '1h30m' }))).toEqual(['CG_POLICY_LIMIT_EXCEEDED spec.duration']);
    expect(issues(podChaos({ ...base, duration: 'soon' }))).toEqual(['CG_MANIFEST_SCHEMA_VIOLATION spec.duration']);
  });

  it('warns when nothing bounds the run', () => {
    const verdict = check(podChaos({ action: 'pod-failure', mode: 'one', selector: { labelSelectors: { a: 'b' } } }));
    expect(verdict.warnings).toEqual([expect.stringContaining('no duration')]);
  });

  it('enforces allowed kinds, also inside a Schedule', () => {
    const prodLike = { ...DEV, policy: { ...DEV.policy, allowedKinds: ['PodChaos', 'Schedule'] } };
    const manifest = {
      kind: 'Schedule',
      spec: { type: 'IOChaos', ioChaos: { action: 'latency', mode: 'one', selector: { labelSelectors: { a: 'b' } } } },
    };
    expect(issues(manifest, prodLike)).toEqual(['CG_POLICY_KIND_FORBIDDEN spec.ioChaos']);
    expect(
      issues({ kind: 'NetworkChaos', spec: { mode: 'one', selector: { labelSelectors: { a: 'b' } } } }, prodLike),
    ).toEqual(['CG_POLICY_KIND_FORBIDDEN kind']);
  });

  it('refuses kinds no environment can scope, and remote clusters', () => {
    expect(issues({ kind: 'AWSChaos', spec: { action: 'ec2-stop' } })).toEqual(['CG_POLICY_KIND_FORBIDDEN kind']);
    expect(issues({ kind: 'PodNetworkChaos', spec: {} })).toEqual(['CG_POLICY_KIND_FORBIDDEN kind']);
    const remote = podChaos({
      action: 'pod-kill',
      mode: 'one',
      selector: { labelSelectors: { a: 'b' } },
      remoteCluster: 'other',
    });
    expect(issues(remote)).toEqual(['CG_POLICY_NAMESPACE_OUTSIDE_ENV spec.remoteCluster']);
  });

  it('checks the URL of a StatusCheck against the probe allow-list', () => {
    const manifest = (url: string) => ({
      kind: 'StatusCheck',
      spec: { type: 'HTTP', http: { url, criteria: { statusCode: '200' } } },
    });
    expect(issues(manifest('http://127.0.0.1:8080/ok'))).toEqual([]);
    expect(issues(manifest('http://123.123.123.123'))).toEqual(['CG_POLICY_PROBE_URL_FORBIDDEN spec.http.url']);
  });

  it('checks probe URLs of the validation rules', () => {
    const rules = validationRulesSchema.parse({
      http: [
        { name: 'ok', url: 'http://127.0.0.1:9000/healthz' },
        { name: 'evil', url: 'http://169.254.169.254/latest/meta-data' },
      ],
      prometheus: [{ name: 'p', query: 'up', comparison: '==', threshold: 1 }],
    });
    const manifest = podChaos({ action: 'pod-kill', mode: 'one', selector: { labelSelectors: { a: 'b' } } });
    expect(issues(manifest, DEV, rules)).toEqual([
      'CG_POLICY_PROBE_URL_FORBIDDEN rules.http[1].url',
      'CG_POLICY_PROBE_URL_FORBIDDEN rules.prometheus[0].url',
    ]);
  });
});

describe('runLimitSeconds', () => {
  it('reads the duration, a workflow deadline, one-shot actions and open-ended runs', () => {
    expect(runLimitSeconds(podChaos({ action: 'pod-failure', duration: '5m' }))).toBe(300);
    expect(runLimitSeconds(podChaos({ action: 'pod-kill' }))).toBe(0);
    expect(runLimitSeconds(podChaos({ action: 'pod-failure' }))).toBeNull();
    expect(runLimitSeconds({ kind: 'Schedule', spec: {} })).toBeNull();
    const wf = {
      kind: 'Workflow',
      spec: { entry: 'e', templates: [{ name: 'e', templateType: 'Serial', deadline: '4m' }] },
    };
    expect(runLimitSeconds(wf)).toBe(240);
  });
});

describe('probe allow-list', () => {
  const list = ['http://127.0.0.1', 'https://status.example.com/health', 'http://localhost:8080'];
  it.each([
    ['http://127.0.0.1:4321/ok', true],
    ['http://127.0.0.1/', true],
    ['https://status.example.com/health', true],
    ['https://status.example.com/health/deep', true],
    ['https://status.example.com/healthz', false],
    ['https://status.example.com/', false],
    ['http://status.example.com/health', false],
    ['http://127.0.0.1.evil.example/', false],
    ['http://127.0.0.1@evil.example/', false],
    ['http://user:pw@127.0.0.1/', false],
    ['http://localhost:8080/x', true],
    ['http://localhost:8081/x', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(matchAllowList(url, list).allowed).toBe(allowed);
  });

  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:10.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:2800:220:1::1', false],
  ])('%s is private: %s', (address, priv) => {
    expect(isPrivateAddress(address)).toBe(priv);
  });
});

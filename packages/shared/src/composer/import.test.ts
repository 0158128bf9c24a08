import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildManifest } from './build';
import { importManifest } from './import';
import { sampleForm } from './samples.test-data';

/** Chaos Mesh's own examples (Apache-2.0, see the LICENSE beside them). */
const EXAMPLES_DIR = new URL('../../../../test/fixtures/chaos-mesh-examples/', import.meta.url);

function example(file: string): unknown {
  return parse(readFileSync(new URL(file, EXAMPLES_DIR), 'utf8'));
}

describe('importManifest with the Chaos Mesh examples', () => {
  /** What each example becomes: imported into the form, or why it stays in YAML. */
  const EXPECTED: Record<string, 'form' | { reason: string; paths?: string[] }> = {
    'blockchaos__blockchaos-delay-example.yaml': { reason: 'kind' },
    'burn-cpu.yaml': {
      reason: 'fields',
      paths: ['spec.stressors.cpu.options[0]', 'spec.stressors.cpu.options[1]', 'spec.stressors.cpu.options[2]'],
    },
    'container-kill-example.yaml': 'form',
    'dns-chaos-example.yaml': 'form',
    'io-delay-example.yaml': 'form',
    'jvm__jvm-exception-example.yaml': 'form',
    'network-bandwidth-example.yaml': 'form',
    'network-delay-example.yaml': 'form',
    'network-loss-example.yaml': 'form',
    'network-partition-example.yaml': 'form',
    'nginx__http-patch-response.yaml': 'form',
    'pod-kill-example.yaml': 'form',
    'schedule-podchaos.yaml': { reason: 'kind' },
    'statuscheck-example.yaml': { reason: 'kind' },
    'time-chaos-example.yaml': 'form',
    'workflow__serial.yaml': { reason: 'kind' },
  };

  it('has an expectation for every example file', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('imports %s as expected, and rebuilds it field for field', (file, expected) => {
    const manifest = example(file);
    const result = importManifest(manifest);
    if (expected === 'form') {
      if (!('form' in result)) throw new Error(`not imported: ${JSON.stringify(result.unsupported)}`);
      expect(buildManifest(result.form)).toEqual(manifest);
    } else {
      expect(result).toMatchObject({ unsupported: expected });
    }
  });

  it('reads the network delay example into the form fields', () => {
    expect(importManifest(example('network-delay-example.yaml'))).toEqual({
      form: {
        name: 'network-delay-example',
        target: { namespace: '', selector: { 'app.kubernetes.io/component': 'tikv' }, mode: 'one' },
        duration: '10s',
        fault: {
          kind: 'NetworkChaos',
          action: 'delay',
          delay: { latency: '90ms', correlation: '25', jitter: '90ms' },
        },
      },
    });
  });

  it('reads the namespace of the DNS example and the HTTP patch example', () => {
    const dns = importManifest(example('dns-chaos-example.yaml'));
    expect(dns).toMatchObject({ form: { target: { namespace: 'busybox', selector: {}, mode: 'all' } } });
    const http = importManifest(example('nginx__http-patch-response.yaml'));
    expect(http).toMatchObject({
      form: {
        target: { namespace: 'default', selector: { app: 'nginx' } },
        fault: { kind: 'HTTPChaos', action: 'patch', target: 'Response', port: 80, path: '*' },
      },
    });
  });
});

describe('importManifest', () => {
  const form = sampleForm({ kind: 'PodChaos', action: 'pod-kill' });

  it('refuses what is not a chaos-mesh.org/v1alpha1 object', () => {
    expect(importManifest(null)).toEqual({ unsupported: { reason: 'not-a-manifest', paths: [] } });
    expect(importManifest('kind: PodChaos')).toEqual({ unsupported: { reason: 'not-a-manifest', paths: [] } });
    expect(importManifest({ kind: 'PodChaos', apiVersion: 'v1', spec: {} })).toEqual({
      unsupported: { reason: 'api-version', kind: 'PodChaos', paths: ['apiVersion'] },
    });
  });

  it('leaves Schedule, Workflow and other kinds to the YAML editor', () => {
    for (const kind of ['Schedule', 'Workflow', 'KernelChaos', 'AWSChaos']) {
      expect(importManifest({ apiVersion: 'chaos-mesh.org/v1alpha1', kind, spec: {} })).toEqual({
        unsupported: { reason: 'kind', kind, paths: ['kind'] },
      });
    }
  });

  it('names every field the form would drop', () => {
    const manifest = buildManifest(form);
    const spec = manifest.spec as Record<string, Record<string, unknown>>;
    spec.selector = { ...spec.selector, namespaces: ['shop', 'shop-2'], annotationSelectors: { team: 'a' } };
    spec.remoteCluster = { name: 'east' } as unknown as Record<string, unknown>;
    manifest.metadata.labels = { team: 'payments' };
    expect(importManifest(manifest)).toEqual({
      unsupported: {
        reason: 'fields',
        kind: 'PodChaos',
        paths: [
          'metadata.labels.team',
          'spec.remoteCluster.name',
          'spec.selector.annotationSelectors.team',
          'spec.selector.namespaces[1]',
        ],
      },
    });
  });

  it('reports values of the wrong kind with their manifest path', () => {
    const manifest = buildManifest(sampleForm({ kind: 'NetworkChaos', action: 'delay', delay: { latency: '1s' } }));
    (manifest.spec.delay as Record<string, unknown>).latency = 'slow';
    manifest.spec.mode = 'most';
    expect(importManifest(manifest)).toEqual({
      unsupported: { reason: 'invalid', kind: 'NetworkChaos', paths: ['spec.delay.latency', 'spec.mode'] },
    });
    const http = buildManifest(sampleForm({ kind: 'HTTPChaos', action: 'abort', target: 'Request', port: 80 }));
    http.spec.delay = '1s';
    expect(importManifest(http)).toMatchObject({ unsupported: { reason: 'invalid', paths: ['spec.action'] } });
  });

  it('takes unquoted numbers where Chaos Mesh wants text, and numbers written as text', () => {
    const manifest = {
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'NetworkChaos',
      metadata: { name: 'loss' },
      spec: {
        action: 'bandwidth',
        mode: 'fixed',
        value: 2,
        selector: { namespaces: ['shop'], labelSelectors: { app: 'order', version: 2 } },
        bandwidth: { rate: '1mbps', limit: '100', buffer: 10000 },
      },
    };
    expect(importManifest(manifest)).toEqual({
      form: {
        name: 'loss',
        target: { namespace: 'shop', selector: { app: 'order', version: '2' }, mode: 'fixed', value: '2' },
        fault: { kind: 'NetworkChaos', action: 'bandwidth', bandwidth: { rate: '1mbps', limit: 100, buffer: 10000 } },
      },
    });
  });

  it('ignores what the API server and Chaos Mesh wrote on an exported object', () => {
    const manifest = {
      ...buildManifest(form),
      metadata: { name: form.name, namespace: 'chaos-dev', uid: 'u-1', resourceVersion: '42', generation: 1 },
      status: { experiment: { desiredPhase: 'Run' } },
    };
    expect(importManifest(manifest)).toEqual({ form });
  });
});

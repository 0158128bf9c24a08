import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { hashManifest, renderManifest } from './manifest-render';
import { DEV } from './testing/fixtures';

const SOURCE = {
  apiVersion: 'chaos-mesh.org/v1alpha1',
  kind: 'NetworkChaos',
  metadata: {
    name: 'delay',
    namespace: 'somewhere',
    labels: { team: 'shop', 'chaosgate.dev/run-id': 'forged', 'app.kubernetes.io/managed-by': 'me' },
  },
  spec: {
    action: 'delay',
    mode: 'one',
    selector: { labelSelectors: { app: 'order' } },
    target: { mode: 'all', selector: { namespaces: ['shop'], labelSelectors: { app: 'mysql' } } },
    delay: { latency: '90ms' },
    duration: '30s',
  },
  status: { conditions: [] },
};

describe('renderManifest', () => {
  const rendered = renderManifest({ manifest: SOURCE, environment: DEV, submittedBy: 'dev' });

  it('puts the object in the chaos namespace with ownership labels and a content-derived name', () => {
    expect(rendered.manifest.metadata).toEqual({
      name: `cg-${rendered.runKey}`,
      namespace: 'chaos-dev',
      labels: {
        team: 'shop',
        'app.kubernetes.io/managed-by': 'chaosgate',
        'chaosgate.dev/run-id': rendered.runKey,
        'chaosgate.dev/environment': 'dev',
      },
      annotations: { 'chaosgate.dev/submitted-by': 'dev' },
    });
    expect(rendered.runKey).toMatch(/^[0-9a-f]{10}$/);
    expect(rendered.manifest.status).toBeUndefined();
  });

  it('pins selectors without namespaces to the target namespaces and keeps validated ones', () => {
    const spec = rendered.manifest.spec as {
      selector: { namespaces: string[] };
      target: { selector: { namespaces: string[] } };
    };
    expect(spec.selector.namespaces).toEqual(['chaos-dev', 'shop']);
    expect(spec.target.selector.namespaces).toEqual(['shop']);
  });

  it('is deterministic, and its hash is the hash of its YAML', () => {
    const again = renderManifest({ manifest: structuredClone(SOURCE), environment: DEV, submittedBy: 'dev' });
    expect(again.hash).toBe(rendered.hash);
    expect(again.yaml).toBe(rendered.yaml);
    expect(hashManifest(YAML.parse(rendered.yaml))).toBe(rendered.hash);
    expect(rendered.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes name and hash with the submitter, the environment or the spec', () => {
    const other = renderManifest({ manifest: SOURCE, environment: DEV, submittedBy: 'sre' });
    expect(other.crName).not.toBe(rendered.crName);
    const staging = renderManifest({ manifest: SOURCE, environment: { ...DEV, name: 'staging' }, submittedBy: 'dev' });
    expect(staging.hash).not.toBe(rendered.hash);
    const longer = renderManifest({
      manifest: { ...SOURCE, spec: { ...SOURCE.spec, duration: '31s' } },
      environment: DEV,
      submittedBy: 'dev',
    });
    expect(longer.hash).not.toBe(rendered.hash);
  });

  it('does not depend on the submitted name or key order', () => {
    const renamed = renderManifest({
      manifest: {
        spec: SOURCE.spec,
        kind: SOURCE.kind,
        apiVersion: SOURCE.apiVersion,
        metadata: { ...SOURCE.metadata, name: 'other' },
      },
      environment: DEV,
      submittedBy: 'dev',
    });
    expect(renamed.hash).toBe(rendered.hash);
  });

  it('says what it replaced', () => {
    expect(rendered.warnings).toEqual([
      expect.stringContaining('metadata.name'),
      expect.stringContaining('metadata.namespace'),
      'status is ignored',
    ]);
  });
});

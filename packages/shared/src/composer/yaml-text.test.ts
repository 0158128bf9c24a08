import { describe, expect, it } from 'vitest';
import { locateYamlPath, parseManifestText, splitJsonPath } from './yaml-text';

const TEXT = `apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: pod-kill-order
spec:
  action: pod-kill
  mode: one
  selector:
    namespaces:
      - shop
    labelSelectors:
      app.kubernetes.io/name: order
  duration: 20s
`;

/** The text a span covers. */
function at(path: string): string {
  const span = locateYamlPath(TEXT, path);
  return TEXT.slice(span.from, span.to);
}

describe('splitJsonPath', () => {
  it('splits dotted paths, indexes and quoted keys', () => {
    expect(splitJsonPath('spec.selector.namespaces[0]')).toEqual(['spec', 'selector', 'namespaces', 0]);
    expect(splitJsonPath('metadata.labels["app.kubernetes.io/name"]')).toEqual([
      'metadata',
      'labels',
      'app.kubernetes.io/name',
    ]);
    expect(splitJsonPath('$')).toEqual([]);
    expect(splitJsonPath('$.spec.mode')).toEqual(['spec', 'mode']);
  });
});

describe('locateYamlPath', () => {
  it('points at the value of a scalar field and at the item of a list', () => {
    expect(at('spec.mode')).toBe('one');
    expect(locateYamlPath(TEXT, 'spec.mode').line).toBe(7);
    expect(at('spec.selector.namespaces[0]')).toBe('shop');
    expect(at('spec.duration')).toBe('20s');
  });

  it('points at the key of an object, and finds keys with dots quoted or not', () => {
    expect(at('spec.selector')).toBe('selector');
    expect(at('spec.selector.labelSelectors["app.kubernetes.io/name"]')).toBe('order');
    expect(at('spec.selector.labelSelectors.app.kubernetes.io/name')).toBe('order');
  });

  it('falls back to the deepest part of the path that exists', () => {
    expect(at('spec.selector.labelSelectors.tier')).toBe('labelSelectors');
    expect(at('spec.selector.namespaces[3]')).toBe('namespaces');
    expect(at('spec.containerNames')).toBe('spec');
    expect(locateYamlPath(TEXT, '$')).toEqual({ from: 0, to: 35, line: 1 });
  });

  it('works on JSON text too', () => {
    const json = '{"kind": "PodChaos", "spec": {"mode": "one"}}';
    const span = locateYamlPath(json, 'spec.mode');
    expect(json.slice(span.from, span.to)).toBe('"one"');
  });
});

describe('parseManifestText', () => {
  it('reads YAML and JSON', () => {
    expect(parseManifestText(TEXT)).toMatchObject({ ok: true, value: { kind: 'PodChaos' } });
    expect(parseManifestText('{"kind":"PodChaos"}')).toEqual({ ok: true, value: { kind: 'PodChaos' } });
  });

  it('places syntax errors and duplicate keys in the text', () => {
    const result = parseManifestText('kind: PodChaos\nspec:\n  mode: one\n  mode: all\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({ line: 4 });
    const bad = parseManifestText('kind: [PodChaos\n');
    expect(bad.ok).toBe(false);
  });
});

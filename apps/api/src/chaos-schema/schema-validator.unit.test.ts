import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadChaosCrdCatalog } from './crd-catalog';
import { formatJsonPath, pointerToSegments } from './json-path';
import { type ChaosSchemaValidator, createChaosSchemaValidator } from './schema-validator';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../../test/fixtures/chaos-mesh-examples');

let validator: ChaosSchemaValidator;
beforeAll(async () => {
  validator = createChaosSchemaValidator(await loadChaosCrdCatalog());
});

function podChaos(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', metadata: { name: 'x' }, spec };
}

describe('chaos schema validation', () => {
  it('knows the chaos-mesh.org kinds of the pinned CRDs', () => {
    expect(validator.kinds()).toEqual(expect.arrayContaining(['PodChaos', 'NetworkChaos', 'Schedule', 'Workflow']));
    expect(validator.kinds()).toHaveLength(23);
  });

  it.each(fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')))('accepts the Chaos Mesh example %s', (file) => {
    const object = YAML.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
    expect(validator.validate(object.kind, object)).toEqual([]);
  });

  it('reports a wrong enum value with its path and the allowed values', () => {
    const issues = validator.validate('PodChaos', podChaos({ action: 'pod-explode', mode: 'one', selector: {} }));
    expect(issues).toEqual([expect.objectContaining({ path: 'spec.action', code: 'CG_MANIFEST_SCHEMA_VIOLATION' })]);
    expect(issues[0]?.message).toContain('pod-kill');
  });

  it('reports a misspelt field instead of pruning it', () => {
    const issues = validator.validate('PodChaos', podChaos({ action: 'pod-kill', mode: 'one', selecter: {} }));
    expect(issues.map((i) => i.path)).toContain('spec.selecter');
  });

  it('reports missing required fields and wrong types, all at once', () => {
    const issues = validator.validate('NetworkChaos', {
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'NetworkChaos',
      spec: { action: 'delay', selector: { labelSelectors: { app: 7 } }, delay: { latency: 5 } },
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['spec.mode', 'spec.selector.labelSelectors.app', 'spec.delay.latency']),
    );
  });

  it('accepts an integer or a string where Kubernetes does', () => {
    const spec = { action: 'pod-kill', mode: 'fixed', value: '2', selector: { labelSelectors: { app: 'x' } } };
    expect(validator.validate('PodChaos', podChaos(spec))).toEqual([]);
  });

  it('ignores metadata and status, which chaosgate sets', () => {
    const object = { ...podChaos({ action: 'pod-kill', mode: 'one', selector: {} }), status: { whatever: 1 } };
    expect(validator.validate('PodChaos', object)).toEqual([]);
  });
});

describe('JSON paths', () => {
  it('quotes keys that are not identifiers', () => {
    expect(formatJsonPath(['spec', 'selector', 'labelSelectors', 'app.kubernetes.io/name'])).toBe(
      'spec.selector.labelSelectors["app.kubernetes.io/name"]',
    );
    expect(formatJsonPath(['spec', 'templates', 2, 'name'])).toBe('spec.templates[2].name');
    expect(formatJsonPath([])).toBe('$');
  });

  it('reads JSON pointers with escapes', () => {
    expect(pointerToSegments('/spec/labelSelectors/a~1b/0')).toEqual(['spec', 'labelSelectors', 'a/b', 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { affectedByMode, countAffectedPods, matchesSelector, type PodFacts } from './pod-selector';

const pod = (name: string, labels: Record<string, string>, extra: Partial<PodFacts> = {}): PodFacts => ({
  namespace: 'shop',
  name,
  labels,
  annotations: {},
  nodeName: 'node-1',
  phase: 'Running',
  ...extra,
});

const PODS = [
  pod('order-1', { app: 'order', tier: 'backend' }),
  pod('order-2', { app: 'order', tier: 'backend' }),
  pod('web-1', { app: 'web' }, { annotations: { canary: 'yes' } }),
  pod('order-x', { app: 'order' }, { namespace: 'other' }),
];

describe('matchesSelector', () => {
  it('matches labels within the pinned namespaces', () => {
    const selector = { namespaces: ['shop'], labelSelectors: { app: 'order' } };
    expect(PODS.filter((p) => matchesSelector(p, selector)).map((p) => p.name)).toEqual(['order-1', 'order-2']);
  });

  it('evaluates expression, annotation, field and phase selectors', () => {
    expect(
      matchesSelector(PODS[0] as PodFacts, {
        expressionSelectors: [{ key: 'tier', operator: 'In', values: ['backend'] }],
      }),
    ).toBe(true);
    expect(matchesSelector(PODS[2] as PodFacts, { expressionSelectors: [{ key: 'tier', operator: 'Exists' }] })).toBe(
      false,
    );
    expect(
      matchesSelector(PODS[2] as PodFacts, {
        expressionSelectors: [{ key: 'tier', operator: 'NotIn', values: ['x'] }],
      }),
    ).toBe(true);
    expect(matchesSelector(PODS[2] as PodFacts, { annotationSelectors: { canary: 'yes' } })).toBe(true);
    expect(matchesSelector(PODS[0] as PodFacts, { fieldSelectors: { 'metadata.name': 'order-2' } })).toBe(false);
    expect(matchesSelector(PODS[0] as PodFacts, { podPhaseSelectors: ['Pending'] })).toBe(false);
  });

  it('lets an explicit pod list win', () => {
    expect(matchesSelector(PODS[2] as PodFacts, { pods: { shop: ['web-1'] }, labelSelectors: { app: 'order' } })).toBe(
      true,
    );
    expect(matchesSelector(PODS[0] as PodFacts, { pods: { shop: ['web-1'] } })).toBe(false);
  });
});

describe('affectedByMode', () => {
  it.each([
    ['one', null, 5, 1],
    ['one', null, 0, 0],
    ['all', null, 5, 5],
    ['fixed', '2', 5, 2],
    ['fixed', '9', 5, 5],
    ['fixed-percent', '50', 5, 2],
    ['random-max-percent', '100', 5, 5],
  ])('%s %s of %d pods → %d', (mode, value, matched, affected) => {
    expect(affectedByMode(matched, mode, value)).toBe(affected);
  });
});

describe('countAffectedPods', () => {
  it('sums every selector', () => {
    const selectors = [
      {
        path: ['spec', 'selector'],
        selector: { namespaces: ['shop'], labelSelectors: { app: 'order' } },
        mode: 'all',
        value: null,
      },
      {
        path: ['spec', 'target', 'selector'],
        selector: { namespaces: ['shop', 'other'], labelSelectors: { app: 'order' } },
        mode: 'one',
        value: null,
      },
    ];
    expect(countAffectedPods(PODS, selectors)).toBe(3);
  });
});

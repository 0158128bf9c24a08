import { describe, expect, it } from 'vitest';
import {
  commonLabels,
  formatLabelSelector,
  isEmptyLabelSelector,
  isLabelKey,
  isLabelSubset,
  isLabelValue,
  type LabelSelector,
  labelSelectorSchema,
  matchesLabelSelector,
} from './topology-selector';

const order = { app: 'order', tier: 'backend', version: 'v1' };

describe('isLabelSubset', () => {
  it('holds when every entry of the subset is in the labels', () => {
    expect(isLabelSubset({ app: 'order' }, order)).toBe(true);
    expect(isLabelSubset(order, order)).toBe(true);
  });

  it('fails on a different value or a missing key', () => {
    expect(isLabelSubset({ app: 'payment' }, order)).toBe(false);
    expect(isLabelSubset({ app: 'order', zone: 'a' }, order)).toBe(false);
  });

  it('holds for the empty subset', () => {
    expect(isLabelSubset({}, order)).toBe(true);
  });
});

describe('matchesLabelSelector', () => {
  it('matches matchLabels as a subset', () => {
    expect(matchesLabelSelector({ matchLabels: { app: 'order' } }, order)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { app: 'order', tier: 'frontend' } }, order)).toBe(false);
  });

  it('matches In only when the key is present with one of the values', () => {
    const selector: LabelSelector = {
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'cache'] }],
    };
    expect(matchesLabelSelector(selector, order)).toBe(true);
    expect(matchesLabelSelector(selector, { tier: 'frontend' })).toBe(false);
    expect(matchesLabelSelector(selector, { app: 'order' })).toBe(false);
  });

  it('matches NotIn when the key is absent or has another value', () => {
    const selector: LabelSelector = { matchExpressions: [{ key: 'version', operator: 'NotIn', values: ['v2'] }] };
    expect(matchesLabelSelector(selector, order)).toBe(true);
    expect(matchesLabelSelector(selector, { app: 'order' })).toBe(true);
    expect(matchesLabelSelector(selector, { version: 'v2' })).toBe(false);
  });

  it('matches Exists and DoesNotExist on the key alone', () => {
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, order)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, order)).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, order)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, order)).toBe(false);
  });

  it('treats a label present with an empty value as present', () => {
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, { canary: '' })).toBe(
      true,
    );
  });

  it('needs matchLabels and every expression to hold together', () => {
    const selector: LabelSelector = {
      matchLabels: { app: 'order' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['backend'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };
    expect(matchesLabelSelector(selector, order)).toBe(true);
    expect(matchesLabelSelector(selector, { ...order, legacy: 'true' })).toBe(false);
  });

  it('matches everything with an empty selector, which isEmptyLabelSelector reports', () => {
    expect(matchesLabelSelector({}, order)).toBe(true);
    expect(isEmptyLabelSelector({})).toBe(true);
    expect(isEmptyLabelSelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(isEmptyLabelSelector({ matchLabels: { app: 'order' } })).toBe(false);
  });
});

describe('labelSelectorSchema', () => {
  it('accepts a selector with labels and expressions', () => {
    const parsed = labelSelectorSchema.safeParse({
      matchLabels: { 'app.kubernetes.io/name': 'order' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }],
    });
    expect(parsed.success).toBe(true);
  });

  it('refuses In without values and Exists with values', () => {
    expect(
      labelSelectorSchema.safeParse({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }).success,
    ).toBe(false);
    expect(
      labelSelectorSchema.safeParse({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }).success,
    ).toBe(false);
  });

  it('refuses an unknown operator and keys or values Kubernetes would refuse', () => {
    expect(labelSelectorSchema.safeParse({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }).success).toBe(false);
    expect(labelSelectorSchema.safeParse({ matchLabels: { 'bad key': 'x' } }).success).toBe(false);
    expect(labelSelectorSchema.safeParse({ matchLabels: { app: 'a b' } }).success).toBe(false);
  });
});

describe('label syntax', () => {
  it('knows prefixed keys and rejects malformed ones', () => {
    expect(isLabelKey('app')).toBe(true);
    expect(isLabelKey('chaosgate.dev/environment')).toBe(true);
    expect(isLabelKey('/app')).toBe(false);
    expect(isLabelKey('Upper.Case/app')).toBe(false);
    expect(isLabelKey('a'.repeat(64))).toBe(false);
  });

  it('allows empty values and rejects values with spaces or over 63 characters', () => {
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('v1.2_rc-3')).toBe(true);
    expect(isLabelValue('-v1')).toBe(false);
    expect(isLabelValue('x'.repeat(64))).toBe(false);
  });
});

describe('commonLabels', () => {
  it('keeps only entries equal in every map', () => {
    expect(commonLabels([order, { app: 'payment', tier: 'backend', version: 'v1' }])).toEqual({
      tier: 'backend',
      version: 'v1',
    });
    expect(commonLabels([])).toEqual({});
  });
});

describe('formatLabelSelector', () => {
  it('writes labels and expressions the way kubectl reads them', () => {
    expect(
      formatLabelSelector({
        matchLabels: { app: 'order' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'NotIn', values: ['y'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=order, tier in (a,b), x notin (y), canary, !legacy');
  });
});

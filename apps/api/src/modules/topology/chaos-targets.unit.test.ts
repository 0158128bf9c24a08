import { describe, expect, it } from 'vitest';
import { chaosTargetsOf, selectorReaches } from './chaos-targets';
import { NS, pod, podChaos, workload } from './topology.fixtures';

const order = workload('order');
const orderPods = () => [pod('order-0', order.templateLabels), pod('order-1', order.templateLabels)];
const base = { namespaces: [NS], labelSelectors: {}, expressionSelectors: [], pods: {} };

describe('selectorReaches', () => {
  it('matches label selectors against the pod-template labels', () => {
    expect(selectorReaches({ ...base, labelSelectors: { app: 'order' } }, NS, order, orderPods)).toBe(true);
    expect(selectorReaches({ ...base, labelSelectors: { app: 'payment' } }, NS, order, orderPods)).toBe(false);
  });

  it('matches expression selectors', () => {
    const tierIn = { ...base, expressionSelectors: [{ key: 'tier', operator: 'In' as const, values: ['backend'] }] };
    expect(selectorReaches(tierIn, NS, order, orderPods)).toBe(true);
    const notOrder = { ...base, expressionSelectors: [{ key: 'app', operator: 'NotIn' as const, values: ['order'] }] };
    expect(selectorReaches(notOrder, NS, order, orderPods)).toBe(false);
  });

  it("defaults an empty namespace list to the chaos object's namespace", () => {
    const selector = { ...base, namespaces: [], labelSelectors: { app: 'order' } };
    expect(selectorReaches(selector, NS, order, orderPods)).toBe(true);
    expect(selectorReaches(selector, 'chaos-staging', order, orderPods)).toBe(false);
  });

  it('lets an explicit pod list replace the other criteria', () => {
    expect(
      selectorReaches({ ...base, labelSelectors: { app: 'x' }, pods: { [NS]: ['order-1'] } }, NS, order, orderPods),
    ).toBe(true);
    expect(selectorReaches({ ...base, pods: { [NS]: ['payment-0'] } }, NS, order, orderPods)).toBe(false);
  });
});

describe('chaosTargetsOf', () => {
  it('lists running and paused chaos aimed at the workload, not finished ones', () => {
    const refs = chaosTargetsOf(order, orderPods, [
      podChaos('kill-order', { app: 'order' }),
      podChaos('paused-order', { app: 'order' }, 'paused'),
      podChaos('done-order', { app: 'order' }, 'finished'),
      podChaos('kill-payment', { app: 'payment' }),
    ]);
    expect(refs.map((r) => `${r.name}:${r.phase}`)).toEqual(['kill-order:running', 'paused-order:paused']);
    expect(refs[0]).toMatchObject({ source: 'chaos-object', kind: 'PodChaos', namespace: NS });
  });
});

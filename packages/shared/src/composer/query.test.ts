import { describe, expect, it } from 'vitest';
import { composerQuery, parseSelectorQuery } from './query';

describe('parseSelectorQuery', () => {
  it('reads the label map the topology page puts in the link', () => {
    expect(parseSelectorQuery('{"app":"order"}')).toEqual({ app: 'order' });
    expect(parseSelectorQuery(['{"app.kubernetes.io/name":"order","tier":""}'])).toEqual({
      'app.kubernetes.io/name': 'order',
      tier: '',
    });
  });

  it('refuses anything that is not a JSON object of valid labels', () => {
    for (const raw of [undefined, null, '', 'app=order', '[1]', '{"app":1}', '{"bad key":"x"}', '{"app":"a b"}']) {
      expect(parseSelectorQuery(raw)).toBeNull();
    }
  });

  it('is the inverse of composerQuery', () => {
    const query = composerQuery({ environment: 'dev', namespace: 'shop', selector: { app: 'order' } });
    expect(query).toEqual({ env: 'dev', namespace: 'shop', selector: '{"app":"order"}' });
    expect(parseSelectorQuery(query.selector)).toEqual({ app: 'order' });
  });
});

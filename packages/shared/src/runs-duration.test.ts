import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from './runs-duration';

describe('parseGoDuration', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['300ms', 0.3],
    ['10us', 0.00001],
    ['0', 0],
    ['-10m100ns', -600.0000001],
    ['2h45m30.5s', 9930.5],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseGoDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each(['', '10', 's', '1d', '5 m', '1h-30m', 'abc', '1..5s', '5mm'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeNull();
  });
});

describe('formatGoDuration', () => {
  it('writes the shortest Go form', () => {
    expect(formatGoDuration(90)).toBe('1m30s');
    expect(formatGoDuration(7200)).toBe('2h');
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(0.5)).toBe('0.5s');
  });
});

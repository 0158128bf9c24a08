import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { decodeCursor, encodeCursor } from './runs-cursor';

describe('run list cursors', () => {
  it('round-trip the position of the last row', () => {
    const cursor = { createdAt: new Date('2026-03-01T10:00:00.123Z'), id: '0b0e1c5e-9c7a-4d0f-8d77-3f1f3c2b1a00' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each(['', 'nope', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{}').toString('base64url')])(
    'refuses %j with CG_VALIDATION_FAILED',
    (text) => {
      expect(() => decodeCursor(text)).toThrow(AppError);
    },
  );
});

import { AppError } from '../../errors';
import type { RunCursor } from './runs.repo';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque `nextCursor` of a page: the (createdAt, id) of its last run. */
export function encodeCursor(c: RunCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');
}

/** Reads a cursor back; 400 `CG_VALIDATION_FAILED` for anything this API did not hand out. */
export function decodeCursor(text: string): RunCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string' || !UUID.test(id)) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new AppError('CG_VALIDATION_FAILED', 'cursor is not one this API handed out', {
      issues: [{ path: 'query.cursor', message: 'invalid cursor' }],
    });
  }
}

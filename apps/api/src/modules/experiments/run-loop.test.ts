import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, openSecondConnection, type TestDatabase } from '../../testing/test-database';
import { withTryAdvisoryLock } from './run-loop';

let db: TestDatabase;
afterEach(async () => {
  await db?.drop();
});

describe('withTryAdvisoryLock', () => {
  it('runs the work and answers its result', async () => {
    db = await createTestDatabase();
    expect(await withTryAdvisoryLock(db.database, 4242, async () => 'done')).toBe('done');
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('lets one replica in while another holds the lock', async () => {
    db = await createTestDatabase();
    const other = await openSecondConnection(db);
    if (!other) throw new Error('a second connection needs PostgreSQL');
    try {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = withTryAdvisoryLock(db.database, 4242, async () => {
        await held;
        return 'first';
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await withTryAdvisoryLock(other, 4242, async () => 'second')).toBeNull();
      release();
      expect(await first).toBe('first');
      expect(await withTryAdvisoryLock(other, 4242, async () => 'second')).toBe('second');
    } finally {
      await other.close();
    }
  });
});

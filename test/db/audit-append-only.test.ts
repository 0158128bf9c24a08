import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditRepository } from '../../apps/api/src/modules/audit/audit.repo';
import { GENESIS_HASH, verifyAuditChain } from '../../apps/api/src/modules/audit/audit-chain';
import { createTestDatabase, type TestDatabase } from '../../apps/api/src/testing/test-database';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db.drop();
});

async function appendThree() {
  const audit = createAuditRepository(db.database.prisma);
  for (const action of ['run.create', 'run.approve', 'run.execute']) {
    await audit.append({
      actor: 'sre',
      action,
      targetType: 'run',
      targetId: 'r1',
      environment: 'prod',
      details: { zeta: 1, alpha: { b: 2, a: [3, 'x'] } },
    });
  }
  return db.database.prisma.auditEvent.findMany({ orderBy: { seq: 'asc' } });
}

describe('audit events', () => {
  it('link into a chain that verifies from the genesis hash', async () => {
    const events = await appendThree();
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(verifyAuditChain(events)).toEqual({ ok: true, checked: 3 });
  });

  it('keep one chain when many are appended at once', async () => {
    const audit = createAuditRepository(db.database.prisma);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => audit.append({ actor: `u${i}`, action: 'x', targetType: 't' })),
    );
    const events = await db.database.prisma.auditEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(verifyAuditChain(events)).toEqual({ ok: true, checked: 12 });
  });

  it('cannot be updated, deleted or truncated, whoever asks', async () => {
    const events = await appendThree();
    const sql = db.database.sql;
    await expect(
      sql.query(`UPDATE audit_events SET actor = 'mallory' WHERE seq = $1`, [events[1]?.seq]),
    ).rejects.toThrow(/append-only/);
    await expect(sql.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(sql.exec('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    await expect(db.database.prisma.auditEvent.deleteMany({ where: { actor: 'sre' } })).rejects.toThrow();
    expect(await db.database.prisma.auditEvent.count()).toBe(3);
  });

  it('expose a removed or altered event when the chain is verified', async () => {
    const events = await appendThree();
    expect(verifyAuditChain([events[0], events[2]] as typeof events).ok).toBe(false);
    const altered = events.map((e, i) => (i === 1 ? { ...e, actor: 'mallory' } : e));
    expect(verifyAuditChain(altered)).toMatchObject({ ok: false, brokenAt: events[1]?.id });
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signIn, startSecondReplica, type TestApp } from '../../testing/test-app';
import { buildRunsTestApp, Client, POD_KILL, podKillYaml } from './testing/api';

// Pages of the runs list are kept in memory between requests; these tests show that nobody ever
// reads a page older than the last change they could know of.

let t: TestApp;
let dev: Client;
beforeEach(async () => {
  t = await buildRunsTestApp();
  dev = await Client.as(t, 'dev');
});
afterEach(async () => {
  await t.close();
});

type Page = { items: { id: string; status: string; name: string }[] };
const firstPage = async (client: Client = dev) => (await client.get('/api/runs?limit=10')).json<Page>().items;

describe('the runs list, kept in memory between requests', () => {
  it('shows a run submitted here in the very next page', async () => {
    const first = await dev.submit(POD_KILL);
    expect((await firstPage()).map((r) => r.id)).toEqual([first.id]);
    const second = await dev.submit(podKillYaml('labelSelectors:\n      app: payment'));
    expect((await firstPage()).map((r) => r.id)).toEqual([second.id, first.id]);
  });

  it('shows a change made behind its back (the reconciler, psql) within moments', async () => {
    const run = await dev.submit(POD_KILL);
    expect((await firstPage())[0]?.status).toBe('approved');
    await t.app.db.prisma.experimentRun.update({ where: { id: run.id }, data: { status: 'failed' } });
    await vi.waitFor(async () => expect((await firstPage())[0]?.status).toBe('failed'), { timeout: 3_000 });
  });

  it('answers a cached page exactly as it answered the fresh one', async () => {
    await dev.submit(POD_KILL);
    const fresh = await dev.get('/api/runs?limit=10');
    const cached = await dev.get('/api/runs?limit=10');
    expect(cached.body).toBe(fresh.body);
    expect(cached.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(cached.headers['content-type']).toBe(fresh.headers['content-type']);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('shows a run submitted on another replica within moments', async () => {
    const other = await startSecondReplica(t, { CHAOSGATE_KUBE: 'none' });
    try {
      expect(await firstPage()).toEqual([]);
      const elsewhere = new Client({ ...t, app: other.app }, await signIn(other.app, 'sre'));
      const run = await elsewhere.submit(POD_KILL);
      await vi.waitFor(async () => expect((await firstPage()).map((r) => r.id)).toEqual([run.id]), { timeout: 3_000 });
    } finally {
      await other.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/test-app';
import { buildRunsTestApp, Client } from './testing/api';

let t: TestApp;
let dev: Client;
beforeAll(async () => {
  t = await buildRunsTestApp();
  dev = await Client.as(t, 'dev');
  // 130 runs, several per millisecond so that the id breaks ties in the order.
  const base = Date.parse('2026-03-01T00:00:00Z');
  await t.app.db.prisma.experimentRun.createMany({
    data: Array.from({ length: 130 }, (_, i) => ({
      name: `run-${i}`,
      config: {},
      status: i % 5 === 0 ? ('completed' as const) : ('approved' as const),
      createdBy: i % 2 === 0 ? 'dev' : 'sre',
      environment: i % 3 === 0 ? 'staging' : 'dev',
      namespace: i % 4 === 0 ? 'shop' : 'chaos-dev',
      kind: i % 2 === 0 ? 'PodChaos' : 'NetworkChaos',
      manifestHash: 'a'.repeat(64),
      createdAt: new Date(base + Math.floor(i / 3)),
    })),
  });
});
afterAll(async () => {
  await t.close();
});

type Page = { items: { id: string; name: string; createdAt: string; status: string }[]; nextCursor: string | null };

async function all(query: string): Promise<Page['items']> {
  const items: Page['items'] = [];
  let cursor: string | null = null;
  do {
    const res = await dev.get(`/api/runs?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const page = res.json<Page>();
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('GET /api/runs', () => {
  it('answers 50 runs by default, newest first, with a cursor', async () => {
    const page = (await dev.get('/api/runs')).json<Page>();
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).not.toBeNull();
    const times = page.items.map((r) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('pages through every run exactly once in (createdAt, id) descending order', async () => {
    const items = await all('limit=17');
    expect(items).toHaveLength(130);
    expect(new Set(items.map((r) => r.id)).size).toBe(130);
    const keys = items.map((r) => `${r.createdAt}|${r.id}`);
    expect([...keys].sort().reverse()).toEqual(keys);
  });

  it('filters by environment, status, submitter, namespace and kind', async () => {
    const items = await all('environment=dev&status=approved&createdBy=dev&namespace=shop&kind=PodChaos&limit=100');
    const expected = Array.from({ length: 130 }, (_, i) => i).filter(
      (i) => i % 3 !== 0 && i % 5 !== 0 && i % 2 === 0 && i % 4 === 0,
    );
    expect(items.map((r) => r.name).sort()).toEqual(expected.map((i) => `run-${i}`).sort());
  });

  it('refuses a limit over 100 and a cursor it did not hand out', async () => {
    expect((await dev.get('/api/runs?limit=101')).statusCode).toBe(400);
    const res = await dev.get('/api/runs?cursor=bm9wZQ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CG_VALIDATION_FAILED');
    expect((await dev.get('/api/runs?status=exploded')).statusCode).toBe(400);
  });
});

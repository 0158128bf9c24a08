import { afterEach, describe, expect, it } from 'vitest';
import { buildRunsTestApp, Client, POD_KILL } from '../modules/experiments/testing/api';
import type { TestApp } from '../testing/test-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function scrape(app: TestApp['app'], headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers });
  return { status: res.statusCode, type: res.headers['content-type'], text: res.body };
}

/** The value of one sample, e.g. `chaosgate_runs{environment="dev",status="approved"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts runs by environment and status, and requests by route pattern', async () => {
    t = await buildRunsTestApp();
    const dev = await Client.as(t, 'dev');
    const run = await dev.submit(POD_KILL);
    await dev.get(`/api/runs/${run.id}`);
    const { status, type, text } = await scrape(t.app);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(sample(text, 'chaosgate_runs{environment="dev",status="approved"}')).toBe(1);
    expect(
      sample(
        text,
        'chaosgate_http_request_duration_seconds_count{method="GET",route="/api/runs/:id",status_code="200"}',
      ),
    ).toBe(1);
    expect(text).not.toContain(run.id);
    expect(sample(text, 'chaosgate_change_feed_live')).toBe(1);
    expect(text).toContain('chaosgate_process_cpu_seconds_total');
  });

  it('reports the caches answering from memory', async () => {
    t = await buildRunsTestApp();
    const dev = await Client.as(t, 'dev');
    await dev.submit(POD_KILL);
    for (let i = 0; i < 5; i++) expect((await dev.get('/api/runs')).statusCode).toBe(200);
    const { text } = await scrape(t.app);
    // The submit's own change notification may still arrive after the first read: one more miss.
    const misses = sample(text, 'chaosgate_cache_lookups_total{cache="runs_list",result="miss"}') ?? 0;
    const hits = sample(text, 'chaosgate_cache_lookups_total{cache="runs_list",result="hit"}') ?? 0;
    expect(hits + misses).toBe(5);
    expect(hits).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'chaosgate_cache_entries{cache="runs_list"}')).toBe(1);
    expect(sample(text, 'chaosgate_cache_lookups_total{cache="sessions",result="hit"}')).toBeGreaterThan(0);
  });

  it('asks for the bearer token when one is configured, and accepts only that one', async () => {
    const token = 'metrics-token-0123456789';
    t = await buildRunsTestApp({ CHAOSGATE_METRICS_TOKEN: token });
    const missing = await scrape(t.app);
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text).error.code).toBe('CG_AUTH_REQUIRED');
    expect((await scrape(t.app, { authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    const ok = await scrape(t.app, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('chaosgate_runs');
  });
});

import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/test-app';
import { buildRunsTestApp, Client, POD_KILL } from './testing/api';

let t: TestApp;
let dev: Client;
let base: string;
beforeEach(async () => {
  t = await buildRunsTestApp();
  dev = await Client.as(t, 'dev');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await t.close();
});

interface Sse {
  event: string;
  data: unknown;
  id?: string;
}

/** Reads server-sent events until `until` is satisfied. */
async function readEvents(res: Response, until: (events: Sse[]) => boolean): Promise<Sse[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: Sse[] = [];
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
      );
      if (fields.event) events.push({ event: fields.event, data: JSON.parse(fields.data ?? 'null'), id: fields.id });
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('GET /api/runs/:id/stream', () => {
  it('sends the run, its records and its timeline, then every change', async () => {
    const run = await dev.submit(POD_KILL);
    const res = await fetch(`${base}/api/runs/${run.id}/stream`, { headers: { cookie: dev.session.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const aborted = dev.post(`/api/runs/${run.id}/abort`, { reason: 'enough' });
    // The run's new status and its timeline entry are separate events; wait for both.
    const events = await readEvents(
      res,
      (e) =>
        e.some((x) => x.event === 'run' && (x.data as { status: string }).status === 'aborted') &&
        e.some((x) => x.event === 'timeline' && (x.data as { toStatus: string }).toStatus === 'aborted'),
    );
    await aborted;
    expect(events[0]).toMatchObject({ event: 'run', data: { id: run.id } });
    expect(events.filter((e) => e.event === 'records')).toHaveLength(1);
    const timeline = events
      .filter((e) => e.event === 'timeline')
      .map((e) => e.data as { toStatus: string; id: string });
    expect(timeline.map((e) => e.toStatus)).toEqual(['draft', 'approved', 'aborted']);
    expect(events.filter((e) => e.event === 'timeline').map((e) => e.id)).toEqual(timeline.map((e) => e.id));
  });

  it('resumes after the last event id it was given', async () => {
    const run = await dev.submit(POD_KILL);
    const detail = (await dev.get(`/api/runs/${run.id}`)).json();
    const res = await fetch(`${base}/api/runs/${run.id}/stream`, {
      headers: { cookie: dev.session.cookie, 'last-event-id': detail.timeline[0].id },
    });
    const events = await readEvents(res, (e) => e.some((x) => x.event === 'timeline'));
    expect(events.filter((e) => e.event === 'timeline').map((e) => (e.data as { toStatus: string }).toStatus)).toEqual([
      'approved',
    ]);
  });

  it('answers 404 for an unknown run and 401 without a session', async () => {
    const unknown = await fetch(`${base}/api/runs/00000000-0000-4000-8000-000000000000/stream`, {
      headers: { cookie: dev.session.cookie },
    });
    expect(unknown.status).toBe(404);
    expect((await fetch(`${base}/api/runs/x/stream`)).status).toBe(401);
  });
});

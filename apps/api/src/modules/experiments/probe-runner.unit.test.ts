import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpProbeSchema, prometheusProbeSchema } from '@chaosgate/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup, ProbeRefusedError } from './probe-http';
import { checkHttpProbe, checkPrometheusProbe, firstSample, statusExpected } from './probe-runner';
import { foldProbeRound } from './run-probes';

let server: http.Server;
let base: string;
const ALLOW = ['http://127.0.0.1'];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/' });
      return res.end();
    }
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 300);
    if (req.url?.startsWith('/api/v1/query')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.25'] }] },
        }),
      );
    }
    res.writeHead(req.url === '/down' ? 503 : 200);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const probe = (path: string, extra: Record<string, unknown> = {}) =>
  httpProbeSchema.parse({ name: 'p', url: `${base}${path}`, ...extra });

describe('HTTP probes', () => {
  it('passes on an expected status and reports the latency', async () => {
    const outcome = await checkHttpProbe(probe('/ok', { expectStatus: 200 }), 'during', ALLOW);
    expect(outcome).toMatchObject({ ok: true, observed: '200', phase: 'during', probeType: 'http' });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('fails on an unexpected status, a slow answer and a timeout', async () => {
    expect((await checkHttpProbe(probe('/down'), 'during', ALLOW)).message).toBe('HTTP 503, expected 200-399');
    expect((await checkHttpProbe(probe('/slow', { maxLatencyMs: 50 }), 'during', ALLOW)).ok).toBe(false);
    const timedOut = await checkHttpProbe(probe('/slow', { timeoutMs: 50 }), 'during', ALLOW);
    expect(timedOut).toMatchObject({ ok: false, observed: null });
  });

  it('never follows a redirect', async () => {
    const outcome = await checkHttpProbe(probe('/redirect', { expectStatus: 200 }), 'during', ALLOW);
    expect(outcome).toMatchObject({ ok: false, observed: '302' });
  });

  it('refuses a URL off the allow-list without sending anything', async () => {
    const outcome = await checkHttpProbe(probe('/ok'), 'before', ['http://localhost']);
    expect(outcome).toMatchObject({ ok: false, message: expect.stringContaining('not on the allow-list') });
  });

  it('refuses, at connect time, a name that resolves to a private address', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(ProbeRefusedError);
    expect(error?.message).toContain('private address 127.0.0.1');
    const allowed = guardedLookup(true);
    const address = await new Promise<string>((resolve) =>
      allowed('localhost', { family: 4 }, (_e, a) => resolve(String(a))),
    );
    expect(address).toBe('127.0.0.1');
  });

  it('reads status ranges', () => {
    expect(statusExpected(204, { min: 200, max: 299 })).toBe(true);
    expect(statusExpected(301, 200)).toBe(false);
  });
});

describe('Prometheus probes', () => {
  it('compares the first sample with the threshold', async () => {
    const p = prometheusProbeSchema.parse({
      name: 'errors',
      url: base,
      query: 'rate(x[1m])',
      comparison: '<',
      threshold: 0.5,
    });
    expect(await checkPrometheusProbe(p, 'during', ALLOW)).toMatchObject({ ok: true, observed: '0.25' });
    const strict = { ...p, threshold: 0.1 };
    expect(await checkPrometheusProbe(strict, 'during', ALLOW)).toMatchObject({
      ok: false,
      message: '0.25 < 0.1 is false',
    });
  });

  it('reads vector and scalar answers', () => {
    expect(firstSample('{"status":"success","data":{"resultType":"scalar","result":[1,"3"]}}')).toBe(3);
    expect(firstSample('{"status":"success","data":{"resultType":"vector","result":[]}}')).toBeNull();
    expect(firstSample('{"status":"error"}')).toBeNull();
  });
});

describe('foldProbeRound', () => {
  const outcome = (probeName: string, ok: boolean) => ({
    probe: probeName,
    probeType: 'http' as const,
    phase: 'during' as const,
    ok,
    latencyMs: 1,
    observed: null,
    message: ok ? 'ok' : 'HTTP 503',
  });

  it('trips after N consecutive failures of one probe, and a pass resets the count', () => {
    const at = new Date();
    let state = { lastRunAt: null, failures: {} } as ReturnType<typeof foldProbeRound>['state'];
    let round = foldProbeRound(state, [outcome('a', false), outcome('b', true)], 2, at);
    expect(round.tripped).toBeNull();
    state = foldProbeRound(round.state, [outcome('a', true)], 2, at).state;
    round = foldProbeRound(state, [outcome('a', false)], 2, at);
    expect(round.tripped).toBeNull();
    round = foldProbeRound(round.state, [outcome('a', false)], 2, at);
    expect(round).toMatchObject({ tripped: { probe: 'a' }, count: 2 });
    expect(round.state.lastRunAt).toBe(at.toISOString());
  });
});

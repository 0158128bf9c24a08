import type { ExpectStatus, HttpProbe, ProbePhase, PrometheusProbe, ValidationRules } from '@chaosgate/shared';
import { probeRequest } from './probe-http';

/** The verdict of one probe check. */
export interface ProbeOutcome {
  probe: string;
  probeType: 'http' | 'prometheus';
  phase: ProbePhase;
  ok: boolean;
  latencyMs: number | null;
  observed: string | null;
  message: string;
}

export function statusExpected(status: number, expect: ExpectStatus): boolean {
  return typeof expect === 'number' ? status === expect : status >= expect.min && status <= expect.max;
}

const describeExpect = (e: ExpectStatus) => (typeof e === 'number' ? String(e) : `${e.min}-${e.max}`);

export async function checkHttpProbe(
  probe: HttpProbe,
  phase: ProbePhase,
  allowList: readonly string[],
): Promise<ProbeOutcome> {
  const base = { probe: probe.name, probeType: 'http' as const, phase };
  try {
    const answer = await probeRequest({ url: probe.url, method: probe.method, timeoutMs: probe.timeoutMs, allowList });
    const observed = String(answer.status);
    if (!statusExpected(answer.status, probe.expectStatus)) {
      const message = `HTTP ${answer.status}, expected ${describeExpect(probe.expectStatus)}`;
      return { ...base, ok: false, latencyMs: answer.latencyMs, observed, message };
    }
    if (probe.maxLatencyMs !== undefined && answer.latencyMs > probe.maxLatencyMs) {
      const message = `answered in ${answer.latencyMs} ms, more than ${probe.maxLatencyMs} ms`;
      return { ...base, ok: false, latencyMs: answer.latencyMs, observed, message };
    }
    return {
      ...base,
      ok: true,
      latencyMs: answer.latencyMs,
      observed,
      message: `HTTP ${answer.status} in ${answer.latencyMs} ms`,
    };
  } catch (err) {
    return { ...base, ok: false, latencyMs: null, observed: null, message: (err as Error).message };
  }
}

const COMPARE: Record<PrometheusProbe['comparison'], (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** The first sample of a Prometheus instant-query answer, or null when it has none. */
export function firstSample(body: string): number | null {
  const parsed = JSON.parse(body) as { status?: string; data?: { resultType?: string; result?: unknown } };
  if (parsed.status !== 'success') return null;
  const result = parsed.data?.result;
  if (parsed.data?.resultType === 'scalar' && Array.isArray(result)) return Number(result[1]);
  if (Array.isArray(result) && result.length > 0) {
    const value = (result[0] as { value?: [number, string] }).value;
    return value ? Number(value[1]) : null;
  }
  return null;
}

export async function checkPrometheusProbe(
  probe: PrometheusProbe,
  phase: ProbePhase,
  allowList: readonly string[],
): Promise<ProbeOutcome> {
  const base = { probe: probe.name, probeType: 'prometheus' as const, phase };
  try {
    const url = new URL('api/v1/query', `${(probe.url ?? '').replace(/\/?$/, '/')}`);
    url.searchParams.set('query', probe.query);
    const answer = await probeRequest({ url: url.toString(), method: 'GET', timeoutMs: 5000, allowList });
    if (answer.status !== 200) {
      return {
        ...base,
        ok: false,
        latencyMs: answer.latencyMs,
        observed: null,
        message: `Prometheus answered ${answer.status}`,
      };
    }
    const sample = firstSample(answer.body);
    if (sample === null || Number.isNaN(sample)) {
      return {
        ...base,
        ok: false,
        latencyMs: answer.latencyMs,
        observed: null,
        message: 'the query returned no sample',
      };
    }
    const ok = COMPARE[probe.comparison](sample, probe.threshold);
    const message = `${sample} ${probe.comparison} ${probe.threshold} is ${ok ? 'true' : 'false'}`;
    return { ...base, ok, latencyMs: answer.latencyMs, observed: String(sample), message };
  } catch (err) {
    return { ...base, ok: false, latencyMs: null, observed: null, message: (err as Error).message };
  }
}

/** Every probe of `rules` that runs in `phase`, checked in parallel. */
export function checkProbes(
  rules: ValidationRules,
  phase: ProbePhase,
  allowList: readonly string[],
): Promise<ProbeOutcome[]> {
  return Promise.all([
    ...rules.http.filter((p) => p.phases.includes(phase)).map((p) => checkHttpProbe(p, phase, allowList)),
    ...rules.prometheus.filter((p) => p.phases.includes(phase)).map((p) => checkPrometheusProbe(p, phase, allowList)),
  ]);
}

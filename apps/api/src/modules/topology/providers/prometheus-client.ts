import { z } from 'zod';

const vectorResponseSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        value: z.tuple([z.number(), z.string()]),
      }),
    ),
  }),
});

/** One series of an instant vector: its labels and its value. */
export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

/** Thrown for anything that makes a Prometheus answer unusable; the message is safe to show. */
export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
}

export interface PrometheusQueryOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * The base URL as a URL, refusing anything but http(s) and embedded credentials: the URL is
 * configured by an admin, but it is still a request the server makes on someone's behalf.
 */
export function prometheusBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PrometheusError('the Prometheus URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PrometheusError(`refused the Prometheus URL: scheme ${url.protocol} is not http or https`);
  }
  if (url.username || url.password) throw new PrometheusError('refused the Prometheus URL: it embeds credentials');
  return url;
}

/** Runs an instant query (`/api/v1/query`) with a timeout; redirects are refused, not followed. */
export async function queryPrometheus(
  baseUrl: string,
  promql: string,
  options: PrometheusQueryOptions,
): Promise<VectorSample[]> {
  const base = prometheusBaseUrl(baseUrl);
  const url = new URL('api/v1/query', base.href.endsWith('/') ? base : `${base.href}/`);
  url.searchParams.set('query', promql);
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new PrometheusError(
      timedOut ? `Prometheus did not answer within ${options.timeoutMs} ms` : 'Prometheus cannot be reached',
    );
  }
  if (!response.ok) throw new PrometheusError(`Prometheus answered HTTP ${response.status}`);
  const parsed = vectorResponseSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new PrometheusError('Prometheus sent an answer that is not an instant vector');
  return parsed.data.data.result.map((series) => ({ metric: series.metric, value: Number(series.value[1]) }));
}

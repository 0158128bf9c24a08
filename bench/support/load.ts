import autocannon from 'autocannon';

/**
 * Connections kept open by the load generator (`BENCH_CONNECTIONS`). 32 keeps every server of
 * the runs benchmark busy on a small machine: at 8, chaosgate's process sat 44% idle waiting
 * for the next request, so the figure was latency rather than throughput; at 100 the load
 * generator's own overhead lowers every figure alike.
 */
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

export interface LoadOptions {
  headers?: Record<string, string>;
  /** Paths to cycle through, one per request (e.g. a page per cursor); default: the URL's own. */
  paths?: readonly string[];
  connections?: number;
  durationSeconds?: number;
}

/**
 * Requests per second a server sustains, measured with autocannon (the Fastify project's load
 * generator) from this process while the server runs in its own. Every answer must be a 200.
 */
export async function requestsPerSecond(url: string, options: LoadOptions = {}): Promise<number> {
  const { paths } = options;
  let next = 0;
  const result = await autocannon({
    url,
    connections: options.connections ?? CONNECTIONS,
    duration: options.durationSeconds ?? 3,
    headers: options.headers ?? {},
    ...(paths && paths.length > 0
      ? {
          requests: [
            {
              setupRequest: (request) => {
                const path = paths[next++ % paths.length] as string;
                return { ...request, path };
              },
            },
          ],
        }
      : {}),
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result.requests.average;
}

/** The median of measurements. */
export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

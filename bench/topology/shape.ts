/**
 * The shape of the benchmark's namespace: applications of ten services, each service a
 * Deployment behind a Service of the same name, calling each other like a small shop does:
 * an entry point calling three services, those calling the rest, two stores at the bottom.
 */
export const APP_SIZE = 10;

/** Which service of an application calls which (indexes within the application). */
export const APP_CALLS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [0, 3],
  [1, 4],
  [1, 5],
  [2, 6],
  [3, 7],
  [3, 8],
  [4, 9],
  [5, 9],
  [6, 8],
  [7, 9],
];

export const serviceName = (i: number) => `svc-${String(i).padStart(4, '0')}`;

/** Services `i` calls: the same positions in its own application. */
export function callsOf(i: number, total: number): number[] {
  const app = Math.floor(i / APP_SIZE);
  const at = i % APP_SIZE;
  return APP_CALLS.filter(([from]) => from === at)
    .map(([, to]) => app * APP_SIZE + to)
    .filter((target) => target < total);
}

/** Nanoseconds per unit of a Go duration string (`time.ParseDuration`). */
const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const DURATION = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Parses a Go duration (`30s`, `5m`, `1h30m`, `1.5h`, `300ms`, `-10m100ns`) into seconds, the
 * way Chaos Mesh reads `spec.duration`. Returns null for anything Go would reject; `0` is the one
 * unit-less value Go accepts.
 */
export function parseGoDuration(text: string): number | null {
  const value = text.trim();
  if (value === '0' || value === '+0' || value === '-0') return 0;
  if (!DURATION.test(value)) return null;
  let ns = 0;
  for (const [, amount, unit] of value.matchAll(PART)) {
    ns += Number(amount) * (UNIT_NS[unit as string] ?? Number.NaN);
  }
  if (!Number.isFinite(ns)) return null;
  return (value.startsWith('-') ? -ns : ns) / 1e9;
}

/** Seconds as the shortest Go duration text (`90` → `1m30s`), for messages and defaults. */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest = Math.round((rest - m * 60) * 1e9) / 1e9;
  return `${sign}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest ? `${rest}s` : ''}`;
}

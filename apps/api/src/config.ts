import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL connection string; when unset chaosgate uses embedded PGlite under the data dir. */
  DATABASE_URL: z.string().url().optional(),
  CHAOSGATE_DATA_DIR: z.string().default('.data'),
  /** Built SPA to serve at `/`; unset in development where Vite serves it. */
  CHAOSGATE_WEB_DIST: z.string().optional(),
  CHAOSGATE_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  CHAOSGATE_SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  CHAOSGATE_LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  CHAOSGATE_LOGIN_RATE_WINDOW: z.string().default('1 minute'),
  /** Set cookies with `Secure`; on by default in production (behind TLS). */
  CHAOSGATE_SECURE_COOKIES: booleanFlag.optional(),
  /** Comma-separated namespaces that are never a target, whatever the policy says. */
  CHAOSGATE_FORBIDDEN_NAMESPACES: z.string().default('default,kube-system,monitoring'),
  CHAOSGATE_TRUST_PROXY: booleanFlag.default(false),
  /** `none` switches Kubernetes off (every cluster call answers CG_KUBE_UNAVAILABLE); `auto` finds a cluster. */
  CHAOSGATE_KUBE: z.enum(['auto', 'none']).default('auto'),
  /** kubeconfig file(s), separated like PATH; wins over in-cluster and ~/.kube/config. */
  KUBECONFIG: z.string().optional(),
  /** Set by Kubernetes inside a pod: use the pod's ServiceAccount. */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  CHAOSGATE_METRICS_TOKEN: z.string().min(16).optional(),
});

/** How chaosgate reaches Kubernetes (see `apps/api/src/kube`). */
export type KubeConfigSetting =
  | { mode: 'kubeconfig'; paths: string[] }
  | { mode: 'in-cluster' }
  | { mode: 'disabled'; reason: string };

/**
 * `CHAOSGATE_KUBE=none` → disabled; else `KUBECONFIG`, else in-cluster, else `$HOME/.kube/config`;
 * with none of these Kubernetes is disabled (reported by /readyz and by every cluster call).
 */
function resolveKube(c: z.infer<typeof configSchema>, home: string | undefined): KubeConfigSetting {
  if (c.CHAOSGATE_KUBE === 'none') return { mode: 'disabled', reason: 'CHAOSGATE_KUBE=none' };
  const paths = (c.KUBECONFIG ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((p) => path.resolve(p));
  if (paths.length > 0) return { mode: 'kubeconfig', paths };
  if (c.KUBERNETES_SERVICE_HOST) return { mode: 'in-cluster' };
  const fallback = home ? path.join(home, '.kube', 'config') : undefined;
  if (fallback && existsSync(fallback)) return { mode: 'kubeconfig', paths: [fallback] };
  return { mode: 'disabled', reason: 'no kubeconfig found (set KUBECONFIG, or CHAOSGATE_KUBE=none)' };
}

export type AppConfig = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  databaseUrl: string | undefined;
  dataDir: string;
  webDist: string | undefined;
  bodyLimitBytes: number;
  sessionTtlMs: number;
  loginRateLimit: { max: number; timeWindow: string };
  secureCookies: boolean;
  forbiddenNamespaces: string[];
  trustProxy: boolean;
  kube: KubeConfigSetting;
  metricsToken: string | undefined;
  seedPasswords: Record<string, string | undefined>;
};

/** Reads chaosgate's configuration from the environment; throws with every bad variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const forbiddenNamespaces = c.CHAOSGATE_FORBIDDEN_NAMESPACES.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (forbiddenNamespaces.length === 0) {
    throw new Error('invalid configuration:\n  CHAOSGATE_FORBIDDEN_NAMESPACES: must never be empty');
  }
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    logLevel: c.LOG_LEVEL,
    databaseUrl: c.DATABASE_URL,
    dataDir: path.resolve(c.CHAOSGATE_DATA_DIR),
    webDist: c.CHAOSGATE_WEB_DIST ? path.resolve(c.CHAOSGATE_WEB_DIST) : undefined,
    bodyLimitBytes: c.CHAOSGATE_BODY_LIMIT_BYTES,
    sessionTtlMs: c.CHAOSGATE_SESSION_TTL_HOURS * 3_600_000,
    loginRateLimit: { max: c.CHAOSGATE_LOGIN_RATE_LIMIT, timeWindow: c.CHAOSGATE_LOGIN_RATE_WINDOW },
    secureCookies: c.CHAOSGATE_SECURE_COOKIES ?? c.NODE_ENV === 'production',
    forbiddenNamespaces,
    trustProxy: c.CHAOSGATE_TRUST_PROXY,
    kube: resolveKube(c, env.HOME),
    metricsToken: c.CHAOSGATE_METRICS_TOKEN,
    seedPasswords: {
      dev: env.CHAOSGATE_SEED_PASSWORD_DEV,
      sre: env.CHAOSGATE_SEED_PASSWORD_SRE,
      oncall: env.CHAOSGATE_SEED_PASSWORD_ONCALL,
      auditor: env.CHAOSGATE_SEED_PASSWORD_AUDITOR,
    },
  };
}

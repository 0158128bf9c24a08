import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file so the suite runs from any working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB_DIR = join(REPO_ROOT, 'apps/web');
export const WEB_DIST = join(WEB_DIR, 'dist');
const API_ENTRY = 'apps/api/src/server.ts';

/** The seeded local users and the passwords the harness gives them. Test-only values. */
export const SEEDED_USERS = [
  { username: 'dev', role: 'developer', password: 'e2e-dev-password-4827' },
  { username: 'sre', role: 'sre', password: 'e2e-sre-password-9315' },
  { username: 'oncall', role: 'oncall', password: 'e2e-oncall-password-1764' },
  { username: 'auditor', role: 'auditor', password: 'e2e-auditor-password-5082' },
] as const;
export type SeededUser = (typeof SEEDED_USERS)[number];

export function seededUser(username: SeededUser['username']): SeededUser {
  const user = SEEDED_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`no seeded user ${username}`);
  return user;
}

export interface StartOptions {
  /** Extra environment for the API process; wins over the harness defaults. */
  env?: Record<string, string>;
  /** How long to wait for `GET /readyz` to answer 200. */
  readyTimeoutMs?: number;
  /** Talk to the cluster of this kubeconfig (passed as `KUBECONFIG`) instead of none. */
  kubeconfig?: string;
  /** Use this data directory (embedded PGlite) instead of a fresh one; it is kept on stop. */
  dataDir?: string;
  /** Use this PostgreSQL database instead of a fresh one; it is kept on stop. */
  databaseUrl?: string;
}

export interface ChaosgateInstance {
  /** Origin serving both the SPA and `/api`, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** Everything the API process printed so far, for failure messages. */
  output(): string;
  /** Stops the process and removes its data directory and test database. */
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => (entry === 'node_modules' ? newest : Math.max(newest, newestMtime(join(path, entry)))),
    stat.mtimeMs,
  );
}

/** True when `apps/web/dist` is missing or older than any source that goes into it. */
export function isWebBuildStale(): boolean {
  const built = newestMtime(join(WEB_DIST, 'index.html'));
  const inputs = ['index.html', 'vite.config.ts', 'package.json', 'src', 'public']
    .map((p) => join(WEB_DIR, p))
    .concat(join(REPO_ROOT, 'packages/shared/src'));
  return built === 0 || inputs.some((input) => newestMtime(input) > built);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}\n${output}`)),
    );
  });
}

let webBuild: Promise<void> | null = null;

/** Builds the SPA with Vite when its sources changed since the last build; once per process. */
export function ensureWebBuild(): Promise<void> {
  webBuild ??= (async () => {
    if (!isWebBuildStale()) return;
    const require = createRequire(join(WEB_DIR, 'package.json'));
    const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
    await run(process.execPath, [viteBin, 'build'], WEB_DIR);
  })();
  return webBuild;
}

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

/**
 * Creates an empty PostgreSQL database next to the one `adminUrl` points at, for one harness
 * start. Uses the API's `pg` driver so the tests add no database dependency of their own.
 */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const require = createRequire(join(REPO_ROOT, 'apps/api/package.json'));
  const { Client } = require('pg') as { Client: new (c: { connectionString: string }) => PgClient };
  const name = `chaosgate_e2e_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function waitUntilReady(baseUrl: string, child: ChildProcess | null, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`API not ready at ${baseUrl}/readyz after ${timeoutMs} ms (${last})`);
}

function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts chaosgate as it runs in production: the API process serving the built SPA, on a free
 * port, with a fresh data directory (embedded PGlite) or, when `TEST_DATABASE_URL` is set, a
 * fresh PostgreSQL database; no cluster. Set `CHAOSGATE_E2E_BASE_URL` to test an instance that
 * is already running instead (it must use the passwords in {@link SEEDED_USERS}).
 */
export async function startChaosgate(options: StartOptions = {}): Promise<ChaosgateInstance> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const external = process.env.CHAOSGATE_E2E_BASE_URL;
  if (external) {
    const baseUrl = external.replace(/\/+$/, '');
    await waitUntilReady(baseUrl, null, readyTimeoutMs);
    return { baseUrl, output: () => '', stop: async () => {} };
  }

  await ensureWebBuild();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'chaosgate-e2e-'));
  const database =
    process.env.TEST_DATABASE_URL && !options.databaseUrl && !options.dataDir
      ? await createTestDatabase(process.env.TEST_DATABASE_URL)
      : null;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CHAOSGATE_DATA_DIR: dataDir,
    CHAOSGATE_WEB_DIST: WEB_DIST,
    CHAOSGATE_SEED_PASSWORD_DEV: seededUser('dev').password,
    CHAOSGATE_SEED_PASSWORD_SRE: seededUser('sre').password,
    CHAOSGATE_SEED_PASSWORD_ONCALL: seededUser('oncall').password,
    CHAOSGATE_SEED_PASSWORD_AUDITOR: seededUser('auditor').password,
    ...(options.kubeconfig ? { KUBECONFIG: options.kubeconfig } : { CHAOSGATE_KUBE: 'none' }),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    // A suite signs in more often than a person; a test of the limit itself lowers it again.
    CHAOSGATE_LOGIN_RATE_LIMIT: '1000',
    ...options.env,
  };
  const databaseUrl = options.databaseUrl ?? database?.url;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;

  const child = spawn(process.execPath, ['--import', 'tsx', API_ENTRY], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));

  const stop = async () => {
    await stopProcess(child);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };

  try {
    await waitUntilReady(baseUrl, child, readyTimeoutMs);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- API output ---\n${output}`);
  }
  return { baseUrl, output: () => output, stop };
}

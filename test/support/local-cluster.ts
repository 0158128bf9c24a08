import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The local control plane for test runs: a real etcd + kube-apiserver with the Chaos Mesh CRDs,
 * the demo shop and the status simulator (deploy/local-cluster). One per test run.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_SCRIPT = path.join(REPO_ROOT, 'deploy/local-cluster/build.sh');
const BINARIES = ['localcluster', 'kube-apiserver', 'etcd', 'kubectl', 'chaos-mesh-simulator'];
const READY_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 60_000;

export interface LocalCluster {
  /** Admin kubeconfig of the cluster. */
  kubeconfig: string;
  /** kubectl built with the cluster (same version). */
  kubectl: string;
  /** True when the cluster was named by `CHAOSGATE_TEST_KUBECONFIG` and is not ours to stop. */
  reused: boolean;
  /** Stops the cluster we started and checks that none of its processes is left. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stderr.write(`[local-cluster] ${message}\n`);

/** Where build.sh puts the binaries (honours CHAOSGATE_CACHE). */
async function binDir(): Promise<string> {
  const { stdout } = await run(BUILD_SCRIPT, ['--print-bin-dir'], { cwd: REPO_ROOT });
  return stdout.trim();
}

/** Builds the binaries when one is missing (a cold build takes minutes; later runs are no-ops). */
async function ensureBuilt(bin: string): Promise<void> {
  if (BINARIES.every((b) => existsSync(path.join(bin, b)))) return;
  log(`binaries missing in ${bin}; running deploy/local-cluster/build.sh`);
  await new Promise<void>((resolve, reject) => {
    const build = spawn(BUILD_SCRIPT, [], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    build.on('error', reject);
    build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build.sh exited with ${code}`))));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

async function waitForReady(dir: string, child: ChildProcess, outFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!existsSync(path.join(dir, 'ready'))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`localcluster exited before it was ready:\n${tail(outFile)}`);
    }
    if (Date.now() > deadline)
      throw new Error(`localcluster not ready after ${READY_TIMEOUT_MS} ms:\n${tail(outFile)}`);
    await sleep(200);
  }
}

/** The cluster's processes (etcd, kube-apiserver, simulator, launcher) from its state.json. */
function readPids(dir: string): Record<string, number> {
  return (JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as { pids: Record<string, number> }).pids;
}

async function stopChild(child: ChildProcess, pids: Record<string, number>): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
  const leftovers = Object.entries(pids).filter(([, pid]) => isAlive(pid));
  for (const [, pid] of leftovers) process.kill(pid, 'SIGKILL');
  if (leftovers.length > 0) throw new Error(`processes left after stop: ${leftovers.map(([n]) => n).join(', ')}`);
}

/**
 * Starts a local control plane (`localcluster up --demo --simulator`) in a fresh temporary
 * directory and resolves once it wrote `ready`; or reuses the cluster of `CHAOSGATE_TEST_KUBECONFIG`.
 */
export async function startLocalCluster(): Promise<LocalCluster> {
  const bin = await binDir();
  const kubectl = path.join(bin, 'kubectl');
  const given = process.env.CHAOSGATE_TEST_KUBECONFIG;
  if (given) {
    log(`reusing the cluster of CHAOSGATE_TEST_KUBECONFIG=${given}`);
    if (!existsSync(given)) throw new Error(`CHAOSGATE_TEST_KUBECONFIG names a missing file: ${given}`);
    await ensureBuilt(bin);
    return { kubeconfig: path.resolve(given), kubectl, reused: true, stop: async () => {} };
  }

  await ensureBuilt(bin);
  const dir = mkdtempSync(path.join(tmpdir(), 'chaosgate-it-'));
  const outFile = path.join(dir, 'up.out');
  const out = openSync(outFile, 'a');
  const started = Date.now();
  // --exit-with-parent: the cluster goes down with this process even if teardown never runs.
  const child = spawn(
    path.join(bin, 'localcluster'),
    ['up', '--dir', dir, '--demo', '--simulator', '--exit-with-parent'],
    { cwd: REPO_ROOT, stdio: ['ignore', out, out] },
  );
  try {
    await waitForReady(dir, child, outFile);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  const pids = readPids(dir);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`);
  return {
    kubeconfig: path.join(dir, 'kubeconfig'),
    kubectl,
    reused: false,
    async stop() {
      await stopChild(child, pids);
      rmSync(dir, { recursive: true, force: true });
      log('stopped; no process left');
    },
  };
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Baselines {
  /** The Fastify hello-world. */
  helloUrl: string;
  /** A constant JSON body of the requested size, served by bare Fastify. */
  constantUrl: string;
  stop(): Promise<void>;
}

/** Starts `baseline-server.ts` in a process of its own and waits for its port. */
export function startBaselines(constantBytes: number): Promise<Baselines> {
  const script = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(constantBytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the baseline server exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        const base = `http://127.0.0.1:${Number(line)}`;
        resolve({ helloUrl: `${base}/`, constantUrl: `${base}/constant`, stop });
      }
    });
  });
}

import type { LightMyRequestResponse } from 'fastify';
import { type BrowserSession, buildTestApp, signIn, type TestApp } from '../../../testing/test-app';

/** The real app without a cluster (`CHAOSGATE_KUBE=none`), for the API tests of the runs module. */
export function buildRunsTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  return buildTestApp({ CHAOSGATE_KUBE: 'none', ...overrides });
}

/** A pod-kill in the dev namespace, as YAML text; `extra` lines are appended under `spec:`. */
export function podKillYaml(selector = 'labelSelectors:\n      app: order', extra = ''): string {
  return `apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: kill-order
spec:
  action: pod-kill
  mode: one
  selector:
    ${selector}
${extra}`;
}

export const POD_KILL = podKillYaml();

/** A signed-in client of the test app. */
export class Client {
  constructor(
    readonly t: TestApp,
    readonly session: BrowserSession,
  ) {}

  static async as(t: TestApp, username: string): Promise<Client> {
    return new Client(t, await signIn(t.app, username));
  }

  post(
    url: string,
    payload: unknown,
    headers: Record<string, string> = this.session.headers,
  ): Promise<LightMyRequestResponse> {
    return this.t.app.inject({ method: 'POST', url, headers, payload: payload as object });
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.t.app.inject({ method: 'GET', url, headers: { cookie: this.session.cookie } });
  }

  /** Previews and submits `manifest` in `environment`; returns the created run. */
  async submit(manifest: string, environment = 'dev', extra: Record<string, unknown> = {}) {
    const preview = await this.post('/api/runs/preview', { environment, manifest, ...extra });
    if (preview.statusCode !== 200) throw new Error(`preview failed: ${preview.body}`);
    const res = await this.post('/api/runs', { environment, manifest, previewHash: preview.json().hash, ...extra });
    if (res.statusCode !== 201) throw new Error(`submit failed: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string; status: string; manifestHash: string }>();
  }
}

/** Rows that a refused request must leave untouched. */
export async function snapshot(t: TestApp) {
  const prisma = t.app.db.prisma;
  const [runs, audit, events] = await Promise.all([
    prisma.experimentRun.count(),
    prisma.auditEvent.count(),
    prisma.runEvent.count(),
  ]);
  return { runs, audit, events };
}

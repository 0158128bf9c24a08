import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, vi } from 'vitest';
import YAML, { type Document, isMap, isSeq } from 'yaml';
import { buildApp } from '../../apps/api/src/app';
import type { Database } from '../../apps/api/src/db/database';
import type { KubeGateway } from '../../apps/api/src/kube';
import { type BrowserSession, signIn, testConfig } from '../../apps/api/src/testing/test-app';
import { createTestDatabase, type TestDatabase } from '../../apps/api/src/testing/test-database';
import { adminGateway } from '../support/kube';
import { REPO_ROOT } from '../support/local-cluster';

type FastifyInstance = Awaited<ReturnType<typeof buildApp>>;

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'test/fixtures/chaos-mesh-examples');

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** The app against the local control plane, on `database` (a fresh one unless given). */
export async function startApp(database?: Database): Promise<FastifyInstance> {
  const config = testConfig({ KUBECONFIG: inject('kubeconfig') });
  const app = await buildApp({ config, logger: false, ...(database ? { database } : {}) });
  await app.ready();
  return app;
}

export interface Harness {
  app: FastifyInstance;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const app = await startApp(db.database);
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** A signed-in user of the app under test. */
export class Api {
  constructor(
    readonly app: FastifyInstance,
    readonly session: BrowserSession,
  ) {}

  static async as(app: FastifyInstance, username: string): Promise<Api> {
    return new Api(app, await signIn(app, username));
  }

  post(url: string, payload: unknown) {
    return this.app.inject({ method: 'POST', url, headers: this.session.headers, payload: payload as object });
  }

  get(url: string) {
    return this.app.inject({ method: 'GET', url, headers: { cookie: this.session.cookie } });
  }

  async run(id: string) {
    const res = await this.get(`/api/runs/${id}`);
    expect(res.statusCode).toBe(200);
    return res.json<RunDetail>();
  }

  /** Validate → preview → submit; returns the approved run with its hash. */
  async submit(manifest: string, rules?: unknown, environment = 'dev') {
    const body = { environment, manifest, ...(rules ? { rules } : {}) };
    const validation = await this.post('/api/runs/validate', body);
    expect(validation.json(), validation.body).toMatchObject({ valid: true, errors: [] });
    const preview = await this.post('/api/runs/preview', body);
    expect(preview.statusCode, preview.body).toBe(200);
    const created = await this.post('/api/runs', { ...body, previewHash: preview.json().hash });
    expect(created.statusCode, created.body).toBe(201);
    return created.json<RunDetail>();
  }

  async waitForStatus(id: string, status: string | string[], timeout = 60_000): Promise<RunDetail> {
    const wanted = Array.isArray(status) ? status : [status];
    return vi.waitFor(
      async () => {
        const run = await this.run(id);
        expect(wanted, `${run.name} is ${run.status} (${run.reason ?? ''})`).toContain(run.status);
        return run;
      },
      { timeout, interval: 250 },
    );
  }
}

export interface RunDetail {
  id: string;
  name: string;
  kind: string;
  status: string;
  reason: string | null;
  crName: string;
  manifestHash: string;
  durationSeconds: number | null;
  timeline: { type: string; message: string; toStatus: string | null }[];
  probeResults: { probe: string; phase: string; ok: boolean; message: string }[];
  records: { id: string; phase: string }[];
  conditions: { type: string; status: string }[];
}

function setSelector(node: unknown, doc: Document, labels: Record<string, string>): void {
  if (!isMap(node)) return;
  const selector = node.get('selector');
  if (isMap(selector)) {
    selector.set('labelSelectors', doc.createNode(labels));
    if (selector.has('namespaces')) selector.set('namespaces', doc.createNode(['chaos-dev']));
    selector.delete('expressionSelectors');
  }
  if (node.has('containerNames')) node.set('containerNames', doc.createNode([labels.app ?? 'order']));
  for (const pair of node.items) {
    const value = pair.value;
    if (isMap(value)) setSelector(value, doc, pair.key && String(pair.key) === 'target' ? { app: 'payment' } : labels);
    if (isSeq(value)) for (const item of value.items) setSelector(item, doc, labels);
  }
}

/**
 * Imports a Chaos Mesh example into the local demo, as a user adapting it to dev would: every
 * selector aims at the demo's `order` pods (NetworkChaos targets at `payment`) in chaos-dev,
 * container names at the real container, and a status check at `probeUrl`.
 */
export function importExample(file: string, probeUrl: string): string {
  const doc = YAML.parseDocument(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
  setSelector(doc.contents, doc, { app: 'order' });
  if (doc.get('kind') === 'StatusCheck') doc.setIn(['spec', 'http', 'url'], probeUrl);
  return doc.toString();
}

/**
 * `manifest` with a label of its own. The CR name derives from the content, so tests that run
 * the same example twice give each run a label to keep their CRs apart.
 */
export function labelled(manifest: string, test: string): string {
  const doc = YAML.parseDocument(manifest);
  doc.setIn(['metadata', 'labels', 'test'], test);
  return doc.toString();
}

export interface ProbeTarget {
  url: string;
  status: { code: number };
  close(): Promise<void>;
}

/** A tiny HTTP server on 127.0.0.1 whose health answer the test switches. */
export async function startProbeTarget(): Promise<ProbeTarget> {
  const status = { code: 200 };
  const server = http.createServer((_req, res) => {
    res.writeHead(status.code, { 'content-type': 'text/plain' });
    res.end(status.code === 200 ? 'ok' : 'down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    status,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the runs suites share: the app on a fresh database, `dev` signed in, an admin gateway, a probe target. */
export interface RunsSuite {
  h: Harness;
  dev: Api;
  gateway: KubeGateway;
  target: ProbeTarget;
}

/**
 * Registers the set-up and tear-down of a runs suite around the calling file's tests; the
 * returned object is filled in by the time the file's own `beforeAll` hooks run.
 */
export function useRunsSuite(): RunsSuite {
  const suite = {} as RunsSuite;
  beforeAll(async () => {
    suite.h = await startHarness();
    suite.dev = await Api.as(suite.h.app, 'dev');
    suite.gateway = adminGateway();
    suite.target = await startProbeTarget();
  });
  afterAll(async () => {
    await suite.h?.close();
    suite.gateway?.close();
    await suite.target?.close();
  });
  return suite;
}

import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCluster, startLocalCluster } from '../support/local-cluster';
import { launchChromium, openPage, saveScreenshot } from './browser';
import { signIn } from './flows';
import { type ChaosgateInstance, REPO_ROOT, seededUser, startChaosgate } from './harness';

/** The server answers within a second or two; a loaded CI machine needs more. */
const WAIT = { timeout: 20_000 } as const;
const COMPOSER_LINK = '/runs/new?env=dev&namespace=chaos-dev&selector={"app":"order"}';
const EXAMPLE_FILE = (name: string) => join(REPO_ROOT, 'test/fixtures/chaos-mesh-examples', name);
const RUN_PATH = /^\/runs\/(?!new$)[^/]+$/;

/** A health endpoint on 127.0.0.1 (on the dev probe allow-list) that can be made to fail. */
function startHealthServer(): Promise<{ url: string; fail(): void; close(): Promise<void> }> {
  let healthy = true;
  const server: Server = createServer((_req, res) => {
    res.writeHead(healthy ? 200 : 500, { 'content-type': 'text/plain' });
    res.end(healthy ? 'ok' : 'broken');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/health`,
        fail: () => {
          healthy = false;
        },
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** Applies a manifest to the cluster with the cluster's own kubectl. */
function kubectlApply(cluster: LocalCluster, manifest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, 'apply', '-f', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply: ${output}`))));
    child.stdin.end(manifest);
  });
}

/** The text of a CodeMirror editor inside `container`. */
async function editorText(container: Locator): Promise<string> {
  return (await container.locator('.cm-line').allTextContents()).join('\n');
}

/** Replaces the whole text of a CodeMirror editor, as a paste would. */
async function replaceEditorText(page: Page, container: Locator, text: string): Promise<void> {
  await container.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

async function confirmDialog(page: Page): Promise<void> {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box
    .locator('.el-message-box__btns .el-button--primary, .el-message-box__btns .el-button--danger')
    .last()
    .click();
  await box.waitFor({ state: 'hidden' });
}

/** Waits until the toasts ("The run was submitted.") are gone, so screenshots show the page. */
async function withoutToasts(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.el-message').count(), WAIT).toBe(0);
}

function runStatus(page: Page): Promise<string | null> {
  return page.getByTestId('run-detail-status').getAttribute('data-status');
}

describe('composing, running and watching experiments', () => {
  let cluster: LocalCluster;
  let app: ChaosgateInstance;
  let browser: Browser;
  let health: Awaited<ReturnType<typeof startHealthServer>>;
  const contexts: BrowserContext[] = [];
  /** Uncaught errors of every page a test opened. */
  let pageErrors: Error[][] = [];
  /** The run that completed, for the Chinese screenshot of it. */
  let completedRunPath = '';

  beforeAll(async () => {
    cluster = await startLocalCluster();
    app = await startChaosgate({ kubeconfig: cluster.kubeconfig });
    browser = await launchChromium();
    health = await startHealthServer();
  }, 300_000);

  afterAll(async () => {
    await health?.close();
    await browser?.close();
    await app?.stop();
    await cluster?.stop();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    expect(pageErrors.flat().map((e) => e.message)).toEqual([]);
    pageErrors = [];
  });

  async function newPage(locale = 'en-US'): Promise<Page> {
    const opened = await openPage(browser, app.baseUrl, { locale });
    contexts.push(opened.context);
    pageErrors.push(opened.pageErrors);
    return opened.page;
  }

  /** Signs `user` in and opens the composer the way the topology page links to it. */
  async function openComposer(user: 'dev' | 'sre' = 'dev', locale = 'en-US'): Promise<Page> {
    const page = await newPage(locale);
    await signIn(page, seededUser(user));
    await page.goto(COMPOSER_LINK);
    await page.getByTestId('composer-preview').waitFor();
    await expect.poll(() => page.getByTestId('composer-status').getAttribute('class'), WAIT).toContain('success');
    return page;
  }

  /** Previews, submits, and waits for the run page of the new run. */
  async function previewAndSubmit(page: Page): Promise<void> {
    await page.getByTestId('composer-preview').click();
    await page.getByTestId('preview-hash').waitFor();
    await page.getByTestId('composer-submit').click();
    await page.waitForURL((url) => RUN_PATH.test(url.pathname));
    await expect.poll(() => runStatus(page), WAIT).toBe('approved');
  }

  async function execute(page: Page): Promise<void> {
    await page.getByTestId('run-execute').click();
    await confirmDialog(page);
  }

  async function chooseAction(page: Page, kind: string, action: string): Promise<void> {
    await page.getByTestId(`fault-kind-${kind}`).click();
    await page.getByTestId(`fault-action-${action}`).click();
  }

  it('composes a pod-kill from a map link, previews the YAML, submits, executes and completes', async () => {
    const page = await openComposer();
    expect(await page.getByTestId('target-selector-key-0').inputValue()).toBe('app');
    expect(await page.getByTestId('target-selector-value-0').inputValue()).toBe('order');
    await page.getByTestId('composer-duration').fill('20s');
    expect(await page.getByTestId('composer-submit').isDisabled()).toBe(true);
    await saveScreenshot(page, 'composer-form');

    await page.getByRole('tab', { name: 'YAML' }).click();
    const yaml = await editorText(page.getByTestId('composer-yaml'));
    expect(yaml).toContain('kind: PodChaos');
    expect(yaml).toContain('action: pod-kill');
    expect(yaml).toContain('duration: 20s');
    expect(yaml).toMatch(/namespaces:\s+- chaos-dev/);
    expect(yaml).toMatch(/labelSelectors:\s+app: order/);
    await saveScreenshot(page, 'composer-yaml');

    await page.getByTestId('composer-preview').click();
    const hash = (await page.getByTestId('preview-hash').textContent())?.trim() ?? '';
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await page.getByTestId('preview-diff').locator('.cm-mergeView').waitFor();
    expect(await page.getByTestId('preview-diff').locator('.cm-changedLine').count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'composer-preview');
    await page.getByTestId('preview-view-manifest').click();
    const applied = await editorText(page.getByTestId('preview-manifest'));
    expect(applied).toContain('chaosgate.dev/run-id');
    expect(applied).toContain('namespace: chaos-dev');

    // Any edit makes the preview stale and takes submit away until the next preview.
    await page.getByRole('tab', { name: 'Experiment' }).click();
    await page.getByTestId('composer-duration').fill('25s');
    expect(await page.getByTestId('composer-submit').isDisabled()).toBe(true);
    await page.getByTestId('composer-duration').fill('20s');
    await previewAndSubmit(page);
    expect(await page.getByTestId('run-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);

    // The page follows the run live: no reload happens between execute and completion.
    await page.evaluate('window.__sameDocument = true');
    await execute(page);
    await expect.poll(() => runStatus(page), { timeout: 60_000 }).toBe('completed');
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    const timeline = page.getByTestId('run-timeline');
    expect(await timeline.locator('[data-status="running"]').count()).toBeGreaterThan(0);
    expect(await timeline.locator('[data-status="completed"]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('run-pods').locator('tbody tr').count(), WAIT).toBeGreaterThan(0);
    await withoutToasts(page);
    await saveScreenshot(page, 'run-detail-completed');
    completedRunPath = new URL(page.url()).pathname;
  }, 120_000);

  it('aborts a running run by hand, with a reason', async () => {
    const page = await openComposer();
    await chooseAction(page, 'PodChaos', 'pod-failure');
    await page.getByTestId('composer-duration').fill('2m');
    await expect.poll(() => page.getByTestId('composer-name').inputValue(), WAIT).toBe('pod-failure-order');
    await previewAndSubmit(page);
    await execute(page);
    await expect.poll(() => runStatus(page), WAIT).toBe('running');
    await expect
      .poll(() => page.getByTestId('run-pods').locator('[data-phase="Injected"]').count(), WAIT)
      .toBeGreaterThan(0);
    await withoutToasts(page);
    await saveScreenshot(page, 'run-detail-running');

    // The same run in Chinese, while it runs.
    const zh = await newPage('zh-CN');
    await signIn(zh, seededUser('dev'));
    await zh.goto(new URL(page.url()).pathname);
    await expect.poll(() => runStatus(zh), WAIT).toBe('running');
    expect(await zh.getByTestId('run-abort').textContent()).toContain('中止');
    await saveScreenshot(zh, 'run-detail-running-zh');

    await page.getByTestId('run-abort').click();
    await page.locator('.el-message-box__input input').fill('e2e: stopping by hand');
    await confirmDialog(page);
    await expect.poll(() => runStatus(page), WAIT).toBe('aborted');
    expect(await page.getByTestId('run-reason').textContent()).toContain('e2e: stopping by hand');
    expect(await page.getByTestId('run-abort').count()).toBe(0);
    await expect.poll(() => runStatus(zh), WAIT).toBe('aborted');
  }, 120_000);

  it('aborts a run when its HTTP probe starts failing', async () => {
    const page = await openComposer();
    await chooseAction(page, 'PodChaos', 'pod-failure');
    await page.getByTestId('composer-duration').fill('3m');
    await page.getByRole('tab', { name: 'Validation rules' }).click();
    await page.getByTestId('rules-add-http').click();
    await page.getByTestId('rules-http-url').fill(health.url);
    await page.getByTestId('rules-interval').locator('input').fill('1');
    await page.getByTestId('rules-threshold').locator('input').fill('2');
    await page.getByTestId('rules-threshold').locator('input').blur();
    await previewAndSubmit(page);
    await execute(page);
    await expect.poll(() => runStatus(page), WAIT).toBe('running');

    health.fail();
    await expect.poll(() => runStatus(page), WAIT).toBe('aborted');
    expect(await page.getByTestId('run-reason').textContent()).toMatch(/http-1/);
    await expect
      .poll(() => page.getByTestId('run-probes').locator('tbody tr').filter({ hasText: 'Failed' }).count(), WAIT)
      .toBeGreaterThan(0);
    expect(
      await page.getByTestId('run-probes').locator('tbody tr').filter({ hasText: 'Passed' }).count(),
    ).toBeGreaterThan(0);
  }, 120_000);

  it('lists the runs with filters and colored statuses', async () => {
    const page = await newPage();
    await signIn(page, seededUser('dev'));
    await page.getByTestId('nav-runs').click();
    const rows = page.getByTestId('runs-table').locator('tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBe(3);
    const statuses = await page
      .getByTestId('runs-table')
      .getByTestId('run-status')
      .evaluateAll((tags) => tags.map((t) => t.getAttribute('data-status')));
    expect(statuses.sort()).toEqual(['aborted', 'aborted', 'completed']);
    await saveScreenshot(page, 'runs-list');

    await page.getByTestId('filter-status').click();
    await page.locator('.el-select-dropdown__item').filter({ hasText: 'Aborted' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'aborted');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    await page.getByTestId('filter-clear').click();
    await expect.poll(() => rows.count(), WAIT).toBe(3);

    await rows.first().locator('a').click();
    await page.waitForURL((url) => RUN_PATH.test(url.pathname));
    await page.getByTestId('run-detail-status').waitFor();
  });

  it('lets on-call stop a chaos object chaosgate did not create', async () => {
    await kubectlApply(
      cluster,
      [
        'apiVersion: chaos-mesh.org/v1alpha1',
        'kind: PodChaos',
        'metadata: { name: rogue-kill, namespace: chaos-dev }',
        'spec: { action: pod-failure, mode: one, duration: 10m, selector: { labelSelectors: { app: payment } } }',
      ].join('\n'),
    );
    const page = await newPage();
    await signIn(page, seededUser('oncall'));
    await page.goto('/runs?environment=dev');
    const stop = page.getByTestId('unmanaged-stop-rogue-kill');
    await stop.waitFor();
    await withoutToasts(page);
    await saveScreenshot(page, 'runs-unmanaged');
    await stop.click();
    await confirmDialog(page);
    await page.locator('.el-message--success').waitFor();
    await expect.poll(() => page.getByTestId('unmanaged-stop-rogue-kill').count(), WAIT).toBe(0);
  });

  it('keeps Schedules in YAML, imports what fits, and explains a refused namespace', async () => {
    const page = await openComposer();
    await page.getByRole('tab', { name: 'YAML' }).click();
    const editor = page.getByTestId('composer-yaml');
    await replaceEditorText(
      page,
      editor,
      [
        'apiVersion: chaos-mesh.org/v1alpha1',
        'kind: Schedule',
        'metadata:',
        '  name: nightly-kill',
        'spec:',
        '  schedule: "@every 1h"',
        '  type: PodChaos',
        '  historyLimit: 1',
        '  concurrencyPolicy: Forbid',
        '  podChaos:',
        '    action: pod-kill',
        '    mode: one',
        '    selector:',
        '      namespaces: [chaos-dev]',
        '      labelSelectors: { app: order }',
        '',
      ].join('\n'),
    );
    const notice = page.getByRole('tabpanel', { name: 'YAML' }).getByTestId('yaml-only-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('The form does not compose Schedule.');
    await saveScreenshot(page, 'composer-yaml-only');

    // A file that fits is loaded into the form.
    await page.getByTestId('composer-file').setInputFiles(EXAMPLE_FILE('time-chaos-example.yaml'));
    await page.locator('.el-message--success').filter({ hasText: 'time-chaos-example.yaml' }).waitFor();
    await notice.waitFor({ state: 'detached' });
    expect(await editorText(editor)).toContain('timeOffset: "-10m100ns"');
    await page.getByRole('tab', { name: 'Experiment' }).click();
    expect(await page.getByTestId('time-offset').inputValue()).toBe('-10m100ns');
    await page.getByRole('tab', { name: 'YAML' }).click();

    await replaceEditorText(
      page,
      editor,
      [
        'apiVersion: chaos-mesh.org/v1alpha1',
        'kind: NetworkChaos',
        'metadata: { name: slow-payment }',
        'spec:',
        '  action: delay',
        '  mode: all',
        '  selector: { namespaces: [kube-system], labelSelectors: { app: payment } }',
        '  delay: { latency: 200ms }',
        '  duration: 1m',
        '',
      ].join('\n'),
    );
    await page.getByRole('tab', { name: 'Experiment' }).click();
    await expect.poll(() => page.getByTestId('composer-name').inputValue(), WAIT).toBe('slow-payment');
    expect(await page.getByTestId('net-latency').inputValue()).toBe('200ms');

    await page.getByTestId('composer-preview').click();
    const error = page.getByTestId('composer-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('This namespace may never be targeted.');
    expect(await page.getByTestId('composer-issues').textContent()).toContain('spec.selector.namespaces[0]');

    // In the YAML the refused namespace is marked where it is written.
    await page.getByRole('tab', { name: 'YAML' }).click();
    const marked = editor.locator('.cm-lintRange-error');
    await marked.first().waitFor();
    expect(await marked.allTextContents()).toContain('kube-system');
    await withoutToasts(page);
    await saveScreenshot(page, 'composer-yaml-errors');
  });

  it('shows the composer, its preview and a finished run in Chinese', async () => {
    const page = await openComposer('dev', 'zh-CN');
    expect(await page.getByRole('tab', { name: '实验' }).textContent()).toContain('实验');
    await page.getByTestId('composer-duration').fill('20s');
    await saveScreenshot(page, 'composer-form-zh');
    await page.getByRole('tab', { name: 'YAML' }).click();
    await page.getByTestId('composer-yaml').locator('.cm-content').waitFor();
    await saveScreenshot(page, 'composer-yaml-zh');
    await page.getByTestId('composer-preview').click();
    await page.getByTestId('preview-diff').locator('.cm-mergeView').waitFor();
    expect(await page.getByTestId('preview-panel').textContent()).toContain('chaosgate 将应用的清单');
    await saveScreenshot(page, 'composer-preview-zh');

    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-table').locator('tbody tr').first().waitFor();
    expect(await page.getByRole('heading', { name: '运行' }).count()).toBe(1);
    await saveScreenshot(page, 'runs-list-zh');

    expect(completedRunPath).not.toBe('');
    await page.goto(completedRunPath);
    await expect.poll(() => runStatus(page), WAIT).toBe('completed');
    expect(await page.getByTestId('run-detail-status').textContent()).toContain('已完成');
    await saveScreenshot(page, 'run-detail-completed-zh');
  });
});

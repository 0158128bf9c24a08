import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APPS_REFS, createKubeGateway, type KubeGateway } from '../../apps/api/src/kube';
import { type LocalCluster, startLocalCluster } from '../support/local-cluster';
import { launchChromium, openPage, saveScreenshot } from './browser';
import { signIn } from './flows';
import { type ChaosgateInstance, seededUser, startChaosgate } from './harness';

const NS = 'chaos-dev';

describe('the service map', () => {
  let cluster: LocalCluster;
  let app: ChaosgateInstance;
  let browser: Browser;
  let kube: KubeGateway;
  const contexts: BrowserContext[] = [];
  let pageErrors: Error[] = [];

  beforeAll(async () => {
    cluster = await startLocalCluster();
    kube = createKubeGateway({ kubeConfig: { mode: 'kubeconfig', paths: [cluster.kubeconfig] } });
    app = await startChaosgate({ kubeconfig: cluster.kubeconfig });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    kube?.close();
    await browser?.close();
    await app?.stop();
    await cluster?.stop();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    expect(pageErrors.map((e) => e.message)).toEqual([]);
    pageErrors = [];
  });

  async function openMap(locale = 'en-US'): Promise<Page> {
    const opened = await openPage(browser, app.baseUrl, { locale });
    contexts.push(opened.context);
    pageErrors = opened.pageErrors;
    const page = opened.page;
    await signIn(page, seededUser('dev'));
    await page.getByTestId('nav-topology').click();
    await page.waitForURL((url) => url.pathname === '/topology');
    await node(page, 'deployment', 'order').waitFor();
    await page.getByTestId('topology-live').and(page.locator('[data-live="true"]')).waitFor();
    return page;
  }

  const node = (page: Page, kind: string, name: string) => page.getByTestId(`topology-node-${kind}-${name}`);

  it('shows the shop with its edges, and opens the composer on order with its selector', async () => {
    const page = await openMap();
    for (const name of ['gateway', 'order', 'payment', 'inventory', 'user']) {
      await node(page, 'deployment', name).waitFor();
      await node(page, 'service', name).waitFor();
    }
    await node(page, 'statefulset', 'redis').waitFor();
    await node(page, 'daemonset', 'log-agent').waitFor();
    expect(await page.getByTestId('topology-legend-provider-annotation').textContent()).toContain('5');
    expect(await page.locator('.vue-flow__edge').count()).toBeGreaterThanOrEqual(23);
    await saveScreenshot(page, 'topology-map');

    await node(page, 'deployment', 'order').click();
    const panel = page.getByTestId('topology-selection-panel');
    await panel.waitFor();
    expect(await page.getByTestId('topology-panel-name').textContent()).toBe('order');
    expect(await page.getByTestId('topology-panel-selector').textContent()).toBe('{"app":"order"}');
    const labels = (await page.getByTestId('topology-panel-labels').locator('.el-tag').allTextContents()).map((l) =>
      l.trim(),
    );
    expect(labels).toEqual(['app=order', 'tier=backend', 'version=v1']);
    await page.getByTestId('topology-panel-pods').locator('tbody tr').nth(1).waitFor();
    expect(await page.getByTestId('topology-panel-pod-count').textContent()).toMatch(/^\s*2\s+pods would be hit/);
    await saveScreenshot(page, 'topology-selected');

    await page.getByTestId('topology-create-experiment').click();
    await page.waitForURL((url) => url.pathname === '/runs/new');
    const query = new URL(page.url()).searchParams;
    expect(Object.fromEntries(query)).toEqual({ env: 'dev', namespace: NS, selector: '{"app":"order"}' });
  });

  it('selects several nodes with shift-click and lists one selector each', async () => {
    const page = await openMap();
    await node(page, 'deployment', 'order').click();
    await node(page, 'deployment', 'payment').click({ modifiers: ['Shift'] });
    const selectors = page.getByTestId('topology-panel-selectors').locator('li');
    await expect.poll(() => selectors.count()).toBe(2);
    expect(await selectors.locator('code').allTextContents()).toEqual(['{"app":"order"}', '{"app":"payment"}']);
    await expect.poll(() => page.getByTestId('topology-panel-pod-count').textContent()).toMatch(/^\s*4\s/);
    await saveScreenshot(page, 'topology-multi');
  });

  it('filters by kind and searches by name', async () => {
    const page = await openMap();
    await page.getByTestId('topology-kind-Service').click();
    await node(page, 'service', 'order').waitFor({ state: 'hidden' });
    await page.getByTestId('topology-search').fill('pay');
    expect(await page.getByTestId('topology-search-matches').textContent()).toContain('1 match');
    await page.getByTestId('topology-search').press('Enter');
    await page.waitForTimeout(500);
    await saveScreenshot(page, 'topology-search');
  });

  it('follows the cluster live: a new workload appears, a targeted one lights up, a deleted one goes', async () => {
    const page = await openMap();
    const name = 'e2e-cart';
    await kube.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS, annotations: { 'chaosgate.dev/depends-on': 'order' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name, image: 'example.com/cart:1' }] },
        },
      },
    });
    const chaos = await kube.chaosKind('PodChaos');
    await kube.create({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: { name: 'e2e-kill-inventory', namespace: NS },
      spec: { action: 'pod-failure', mode: 'one', duration: '10m', selector: { labelSelectors: { app: 'inventory' } } },
    });
    try {
      await node(page, 'deployment', name).waitFor({ timeout: 15_000 });
      await node(page, 'deployment', 'inventory').getByTestId('topology-node-targeted').waitFor({ timeout: 15_000 });
      await page.waitForTimeout(500);
      await saveScreenshot(page, 'topology-live');
    } finally {
      await kube.delete(chaos, NS, 'e2e-kill-inventory').catch(() => undefined);
      await kube.delete(APPS_REFS.deployments, NS, name).catch(() => undefined);
    }
    await node(page, 'deployment', name).waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('shows the error by its code, and an empty namespace, in both languages', async () => {
    for (const [locale, forbidden, empty] of [
      ['en-US', 'This namespace may never be targeted.', 'No workloads or Services in namespace chaos-dev.'],
      ['zh-CN', '该命名空间禁止作为目标。', '命名空间 chaos-dev 中没有工作负载或服务。'],
    ] as const) {
      const opened = await openPage(browser, app.baseUrl, { locale });
      contexts.push(opened.context);
      pageErrors = opened.pageErrors;
      const page = opened.page;
      await signIn(page, seededUser('dev'));
      await page.route('**/api/envs/*/topology?*', (route) =>
        route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'CG_POLICY_NAMESPACE_FORBIDDEN', message: 'namespace forbidden' } }),
        }),
      );
      await page.goto('/topology');
      await page.getByTestId('topology-error').waitFor();
      expect(await page.getByTestId('topology-error').textContent()).toContain(forbidden);
      await saveScreenshot(page, `topology-error${locale === 'zh-CN' ? '-zh' : ''}`);

      await page.unroute('**/api/envs/*/topology?*');
      await page.route('**/api/envs/*/topology?*', async (route) => {
        const real = await route.fetch();
        const body = { ...(await real.json()), nodes: [], edges: [] };
        await route.fulfill({ response: real, body: JSON.stringify(body) });
      });
      await page.reload();
      await page.getByTestId('topology-empty').waitFor();
      expect(await page.getByTestId('topology-empty').textContent()).toContain(empty);
      await saveScreenshot(page, `topology-empty${locale === 'zh-CN' ? '-zh' : ''}`);
    }
  });

  it('shows the map and the selection in Chinese', async () => {
    const page = await openMap('zh-CN');
    expect(await page.getByTestId('topology-live').textContent()).toContain('实时');
    await saveScreenshot(page, 'topology-map-zh');
    await node(page, 'deployment', 'order').click();
    await page.getByTestId('topology-panel-pods').locator('tbody tr').nth(1).waitFor();
    expect(await page.getByTestId('topology-panel-pod-count').textContent()).toContain('个 Pod 将受影响');
    expect(await page.getByTestId('topology-create-experiment').textContent()).toContain('创建实验');
    await saveScreenshot(page, 'topology-selected-zh');
  });
});

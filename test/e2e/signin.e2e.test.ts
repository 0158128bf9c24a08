import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, saveScreenshot } from './browser';
import { currentUser, signIn, submitSignIn, waitForEnvironments } from './flows';
import { type ChaosgateInstance, SEEDED_USERS, seededUser, startChaosgate } from './harness';

const ROLE_LABELS_EN: Record<string, string> = {
  developer: 'Developer',
  sre: 'SRE',
  oncall: 'On-call',
  auditor: 'Auditor',
};

describe('signing in and out', () => {
  let app: ChaosgateInstance;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let pageErrors: Error[] = [];

  beforeAll(async () => {
    app = await startChaosgate();
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    expect(pageErrors.map((e) => e.message)).toEqual([]);
    pageErrors = [];
  });

  /** Each test gets its own browser context: no cookies or storage shared between tests. */
  async function newPage(options: Parameters<typeof openPage>[2] = {}): Promise<Page> {
    const opened = await openPage(browser, app.baseUrl, options);
    contexts.push(opened.context);
    pageErrors = opened.pageErrors;
    return opened.page;
  }

  it('sends a visitor without a session to the sign-in form', async () => {
    const page = await newPage();
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByTestId('signin-submit').waitFor();
    expect(await page.title()).toBe('Sign in · chaosgate');
    await saveScreenshot(page, 'signin');
  });

  it.each(SEEDED_USERS)('signs in $username and shows their name and role in the header', async (user) => {
    const page = await newPage();
    await signIn(page, user);
    await page.waitForURL((url) => url.pathname === '/');

    const me = await currentUser(page);
    expect(me.roles).toContain(user.role);
    expect((await page.getByTestId('user-name').textContent())?.trim()).toBe(me.displayName);
    const roleTags = page.getByTestId('user-roles').locator('.el-tag');
    expect((await roleTags.allTextContents()).map((t) => t.trim())).toEqual(
      me.roles.map((role) => ROLE_LABELS_EN[role]),
    );

    await waitForEnvironments(page);
    await saveScreenshot(page, `home-${user.username}`);
  });

  it('keeps a wrong password on /login and shows the translated error', async () => {
    const page = await newPage();
    await page.goto('/login');
    await submitSignIn(page, 'dev', 'not-the-password');
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Invalid username or password.');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByTestId('signin-password').inputValue()).toBe('');
    await saveScreenshot(page, 'signin-error');
  });

  it('shows the sign-in form and its errors in Chinese for a Chinese browser', async () => {
    const page = await newPage({ locale: 'zh-CN' });
    await page.goto('/login');
    await submitSignIn(page, 'dev', 'not-the-password');
    await page.getByTestId('signin-error').waitFor();
    expect(await page.getByTestId('signin-error').textContent()).toContain('用户名或密码错误。');
    expect(await page.getByTestId('signin-submit').textContent()).toContain('登录');
    await saveScreenshot(page, 'signin-error-zh');
  });

  it('switches the interface to Chinese and remembers the choice', async () => {
    const page = await newPage();
    await signIn(page, seededUser('sre'));
    await waitForEnvironments(page);
    expect(await page.getByTestId('nav-runs').textContent()).toContain('Runs');

    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-option-zh-CN').click();
    await expect.poll(() => page.getByTestId('nav-runs').textContent()).toContain('运行');
    const nav = (await page.locator('nav a').allTextContents()).map((t) => t.trim());
    expect(nav).toEqual(['拓扑', '运行', '审批', '审计']);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.title()).toBe('环境 · chaosgate');
    await saveScreenshot(page, 'home-sre-zh');

    await page.reload();
    await waitForEnvironments(page);
    expect(await page.getByTestId('nav-audit').textContent()).toContain('审计');
  });

  it('returns to the requested page after signing in', async () => {
    const page = await newPage();
    await page.goto('/runs');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/runs');

    await submitSignIn(page, 'oncall', seededUser('oncall').password);
    await page.waitForURL((url) => url.pathname === '/runs');
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.locator('.el-empty').waitFor();
    await saveScreenshot(page, 'runs-oncall');
  });

  it('keeps the session across a reload', async () => {
    const page = await newPage();
    await signIn(page, seededUser('dev'));
    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    expect((await page.getByTestId('user-name').textContent())?.trim()).toBe((await currentUser(page)).displayName);
  });

  it('signs out to /login and guards the pages again', async () => {
    const page = await newPage();
    await signIn(page, seededUser('auditor'));
    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(await page.getByRole('alert').textContent()).toContain('You have signed out.');
    await saveScreenshot(page, 'signed-out');
    expect((await page.request.get('/api/me')).status()).toBe(401);

    await page.goto('/approvals');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/approvals');
  });

  it('marks production in the header once it is selected, and remembers the choice', async () => {
    const page = await newPage();
    await signIn(page, seededUser('sre'));
    await waitForEnvironments(page);
    const header = page.locator('header.app-header');
    expect(await header.getAttribute('class')).not.toContain('app-header--prod');

    await page.getByTestId('env-switcher').click();
    await page.getByTestId('env-option-prod').click();
    await expect.poll(() => header.getAttribute('class')).toContain('app-header--prod');
    expect(await page.getByTestId('env-switcher').textContent()).toContain('PROD');
    expect(await page.getByTestId('env-card-prod').textContent()).toContain('Selected');
    await saveScreenshot(page, 'home-sre-prod');

    await page.reload();
    await waitForEnvironments(page);
    await expect.poll(() => header.getAttribute('class')).toContain('app-header--prod');
  });

  it.each([
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ])('fits the header in $width px without horizontal scrolling', async (viewport) => {
    const page = await newPage({ viewport });
    await signIn(page, seededUser('sre'));
    await waitForEnvironments(page);
    // A string runs in the page; this suite is typed without the DOM library.
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    const header = await page.locator('header.app-header').boundingBox();
    expect(header?.height).toBeLessThanOrEqual(64);
    await saveScreenshot(page, `home-sre-${viewport.width}`);
  });
});

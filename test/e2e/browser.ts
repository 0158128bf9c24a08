import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from './harness';

/** Screenshots land here (git-ignored) so people can look at what the tests saw. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'screenshots');
export const VIEWPORT = { width: 1440, height: 900 } as const;

/** Launches the system Chromium (Debian package by default; `CHROMIUM_PATH` overrides). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface PageOptions {
  /** Browser language; decides the initial UI language. */
  locale?: string;
  viewport?: { width: number; height: number };
}

/**
 * A fresh context (no cookies, no storage) with one page. Uncaught page errors are collected so
 * a test can assert the app never threw.
 */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page; pageErrors: Error[] }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? VIEWPORT,
  });
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return { context, page, pageErrors };
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let transitions (menus closing, tags fading) settle so the picture shows the resting state.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

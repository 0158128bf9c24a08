import type { Page } from 'playwright-core';
import type { SeededUser } from './harness';

/** Fills the sign-in form and submits it; does not wait for the outcome. */
export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

/** Signs a seeded user in from /login and waits until the app header shows them. */
export async function signIn(page: Page, user: SeededUser, path = '/login'): Promise<void> {
  await page.goto(path);
  await submitSignIn(page, user.username, user.password);
  await page.getByTestId('user-name').waitFor();
}

/** Waits until the environment cards on the home page are rendered. */
export async function waitForEnvironments(page: Page): Promise<void> {
  await page.locator('[data-testid^="env-card-"]').first().waitFor();
  await page.locator('.el-skeleton').waitFor({ state: 'detached' });
}

/** The signed-in user as the API reports it, through the page's own cookies. */
export async function currentUser(page: Page): Promise<{ username: string; displayName: string; roles: string[] }> {
  const response = await page.request.get('/api/me');
  if (!response.ok()) throw new Error(`GET /api/me answered ${response.status()}`);
  const body = (await response.json()) as {
    user: { username: string; displayName: string; roles: string[] };
  };
  return body.user;
}

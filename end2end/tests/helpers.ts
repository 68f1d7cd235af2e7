import { expect, Page, TestInfo } from '@playwright/test';

export const DEMO_PASSWORD = 'homeward-demo-2026';

export const demo = {
  caseworkerAF: 'caseworker.af@demo.homeward.org',
  supervisorAF: 'supervisor.af@demo.homeward.org',
  caseworkerIQ: 'caseworker.iq@demo.homeward.org',
  supervisorIQ: 'supervisor.iq@demo.homeward.org',
  partnerAF: 'partner.af@demo.homeward.org',
  partnerIQ: 'partner.iq@demo.homeward.org',
  manager: 'manager@demo.homeward.org',
  admin: 'admin@demo.homeward.org',
};

export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.name === 'js';
}

/** Opens a page; with JavaScript on, waits until the WebAssembly has taken over. */
export async function open(page: Page, path: string, testInfo: TestInfo) {
  await page.goto(path);
  await hydrated(page, testInfo);
}

/** With JavaScript on, clicks before hydration would be lost: wait for the marker. */
export async function hydrated(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) {
    await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  }
}

export async function signIn(page: Page, testInfo: TestInfo, email: string, password = DEMO_PASSWORD) {
  await open(page, '/sign-in', testInfo);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

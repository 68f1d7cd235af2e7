import { expect, Page, test as base, TestInfo } from '@playwright/test';

/**
 * Every test fails if a page throws (a hydration panic, a script error) — even when what
 * the test looks at happens to render.
 */
export const test = base.extend<{ pageErrors: void }>({
  pageErrors: [
    async ({ page }, use, testInfo) => {
      const errors: string[] = [];
      const log: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        log.push(`${m.type()}: ${m.text().slice(0, 300)}`);
        if (m.type() === 'error' && m.text().includes('panicked')) errors.push(m.text().slice(0, 300));
      });
      page.on('requestfailed', (r) => log.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.on('framenavigated', (f) => {
        if (f === page.mainFrame()) log.push(`navigated: ${f.url()}`);
      });
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        const path = testInfo.outputPath('browser-log.txt');
        require('fs').writeFileSync(path, log.join('\n'));
        await testInfo.attach('browser log', { path, contentType: 'text/plain' });
      }
      expect(errors, 'errors thrown in the page').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const DEMO_PASSWORD = 'homeward-demo-2026';

export const demo = {
  caseworkerAF: 'caseworker.af@demo.homeward.org',
  caseworkerNorthAF: 'caseworker.north.af@demo.homeward.org',
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

/** Opens a page; with JavaScript on, waits until its islands (if any) run. */
export async function open(page: Page, path: string, testInfo: TestInfo) {
  await page.goto(path);
  await hydrated(page, testInfo);
}

/**
 * With JavaScript on, typing into an island before it is hydrated would be lost: wait for the
 * marker the island loader sets ("none" on a page without islands, which loads no wasm).
 */
export async function hydrated(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) {
    await expect(page.locator('body')).toHaveAttribute('data-islands', /^(none|hydrated)$/, {
      timeout: 30_000,
    });
  }
}

/** Signs in through the form, in whatever language the sign-in page is in. */
export async function signIn(page: Page, testInfo: TestInfo, email: string, password = DEMO_PASSWORD) {
  await open(page, '/sign-in', testInfo);
  const form = page.locator('form[action="/api/sign_in"]');
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(password);
  await form.locator('button[type=submit]').click();
}

/** One person registered (in Kabul unless `province` says otherwise), with a name in one script or both. */
export async function registerPerson(page: Page, testInfo: TestInfo, p: { local?: string; latin?: string; father: string; age: string }, province = 'Kabul') {
  await open(page, '/cases/new', testInfo);
  const household = page.getByRole('group', { name: 'Household' });
  await household.locator('select[name="household[province]"]').selectOption({ label: province });
  await household.getByLabel('District').fill('District 5');
  await household.getByLabel('Date of return').fill('2026-10-02');
  await household.getByLabel('Returned from').selectOption({ label: 'Pakistan' });
  await household.getByLabel('Type of return').selectOption({ label: 'Spontaneous' });
  const person = page.getByRole('group', { name: 'Person 1' });
  if (p.local) await person.getByLabel('Name (Dari, Pashto or Arabic script)').fill(p.local);
  if (p.latin) await person.getByLabel('Name (Latin letters)').fill(p.latin);
  await person.getByLabel("Father's name").fill(p.father);
  await person.getByLabel('Sex').selectOption({ label: 'Male' });
  await person.getByLabel('Estimated age in years').fill(p.age);
  const consent = page.getByRole('group', { name: 'Consent' });
  await consent.getByLabel('The family agrees to be registered.').check();
  await consent.getByLabel('Consent given by').fill(p.latin ?? p.local ?? '');
  await page.getByRole('button', { name: 'Register the family' }).click();
}

/** A new Nangarhar family named `latin` (each project and test its own), with consent to sharing, assessed (income: none, so the plan asks for income sources). */
export async function assessedNangarharFamily(page: Page, testInfo: TestInfo, latin: string): Promise<string> {
  await open(page, '/cases/new', testInfo);
  const household = page.getByRole('group', { name: 'Household' });
  await household.locator('select[name="household[province]"]').selectOption({ label: 'Nangarhar' });
  await household.getByLabel('District').fill('Behsud');
  await household.getByLabel('Date of return').fill('2026-10-12');
  await household.getByLabel('Returned from').selectOption({ label: 'Pakistan' });
  await household.getByLabel('Type of return').selectOption({ label: 'Deported' });
  const person = page.getByRole('group', { name: 'Person 1' });
  await person.getByLabel('Name (Latin letters)').fill(latin);
  await person.getByLabel("Father's name").fill('Abdul Wali');
  await person.getByLabel('Sex').selectOption({ label: 'Male' });
  await person.getByLabel('Estimated age in years').fill('38');
  const consent = page.getByRole('group', { name: 'Consent' });
  await consent.getByLabel('The family agrees to be registered.').check();
  await consent.getByLabel('The family agrees that partner organisations').check();
  await consent.getByLabel('Consent given by').fill(latin);
  await page.getByRole('button', { name: 'Register the family' }).click();
  const duplicates = page.getByRole('region', { name: 'This family may already have a case' });
  if (await duplicates.isVisible()) {
    // A retry of this test meets the family its first try registered.
    await duplicates.getByLabel('I have checked: this is a different family.').check();
    await consent.getByLabel('The family agrees to be registered.').check();
    await page.getByRole('button', { name: 'Register the family' }).click();
  }
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const familyUrl = page.url().replace(/^https?:\/\/[^/]+/, '');
  await hydrated(page, testInfo);
  await page.getByRole('link', { name: /Assess the family|New assessment/ }).click();
  await hydrated(page, testInfo);
  for (const [q, a] of [
    ['How many regular sources of income does the household have?', 'None'],
    ['Can household members get health care when they need it?', 'Yes'],
    ['Do you feel you belong in the community where you live now?', 'Somewhat'],
  ]) {
    await page.getByRole('group', { name: q }).getByLabel(a, { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Save the assessment' }).click();
  await expect(page).toHaveURL(/\/assessments\//);
  return familyUrl;
}

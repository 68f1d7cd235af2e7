import { Page, TestInfo } from '@playwright/test';
import { demo, expect, hydrated, jsEnabled, open, signIn, test } from './helpers';

// Each browser project refers its own demo family (Herat cases, by case number; the
// assessment test uses the first two).
async function assessedFamily(page: Page, testInfo: TestInfo): Promise<string> {
  await open(page, '/cases?province=AF-HER&sort=case_number', testInfo);
  await page.locator('table.cases tbody tr').nth(jsEnabled(testInfo) ? 2 : 3).locator('a').first().click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const familyUrl = page.url().replace(/^https?:\/\/[^/]+/, '');
  await hydrated(page, testInfo);
  await page.getByRole('link', { name: /Assess the family|New assessment/ }).click();
  await hydrated(page, testInfo);
  const answers: [string, string][] = [
    ['How many regular sources of income does the household have?', 'None'],
    ['Can household members get health care when they need it?', 'Yes'],
    ['Do you feel you belong in the community where you live now?', 'Somewhat'],
  ];
  for (const [q, a] of answers) {
    await page.getByRole('group', { name: q }).getByLabel(a, { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Save the assessment' }).click();
  await expect(page).toHaveURL(/\/assessments\//);
  return familyUrl;
}

test('a caseworker refers a family, the partner accepts, serves and completes, the caseworker sees the outcome', async ({ page, browser }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  const familyUrl = await assessedFamily(page, testInfo);
  await open(page, familyUrl, testInfo);
  const caseNumber = (await page.locator('.case-number').innerText()).trim();

  // From the plan's need to the referral form: the organisations offering the service there.
  await page.locator('#plan li', { hasText: 'Income sources' }).getByRole('link', { name: 'Refer' }).click();
  await expect(page).toHaveURL(/\/refer\//);
  await hydrated(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Refer to an organisation');
  await page.getByRole('button', { name: 'Send the referral' }).click();
  await expect(page.getByText('This field is required.')).toBeVisible();
  await hydrated(page, testInfo);
  await page.getByLabel(/Afghan Livelihoods Network/).check();
  await page.getByLabel('Note to the organisation').fill('Father worked as a mason in Iran; wants work in construction.');
  await page.getByRole('button', { name: 'Send the referral' }).click();
  await expect(page).toHaveURL(new RegExp(`${familyUrl}(#referrals)?$`));
  const referrals = page.locator('#referrals');
  await expect(referrals).toContainText('Afghan Livelihoods Network');
  await expect(referrals.locator('.referral-status-sent')).toHaveCount(1);

  // The partner, in another browser session.
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const partner = await context.newPage();
  await signIn(partner, testInfo, demo.partnerAF);
  await expect(partner).toHaveURL('/referrals');
  await partner.getByRole('link', { name: caseNumber }).click();
  await expect(partner).toHaveURL(/\/referrals\/[0-9a-f-]{36}$/);
  await hydrated(partner, testInfo);
  await expect(partner.getByText('Father worked as a mason in Iran')).toBeVisible();
  await expect(partner.getByText('Household size')).toBeVisible();
  await partner.getByRole('button', { name: 'Accept the referral' }).click();
  await expect(partner.locator('.case-head .status')).toHaveText('Accepted');
  await hydrated(partner, testInfo);
  await partner.getByLabel('Date provided').fill('2026-11-20');
  await partner.getByLabel('What was provided').fill('Placed with a construction cooperative');
  await partner.getByRole('button', { name: 'Record the service' }).click();
  await expect(partner.getByText('Placed with a construction cooperative')).toBeVisible();
  await hydrated(partner, testInfo);
  await partner.getByLabel('Outcome for the family').fill('Father employed for six months');
  await partner.getByRole('button', { name: 'Complete the referral' }).click();
  await expect(partner.locator('.case-head .status')).toHaveText('Completed');
  await context.close();

  // Back on the family page: the outcome and the service delivered.
  await open(page, familyUrl, testInfo);
  await expect(referrals.locator('.referral-status-completed')).toHaveCount(1);
  await expect(referrals).toContainText('Father employed for six months');
  await expect(referrals).toContainText('Placed with a construction cooperative');
  await expect(page.locator('.timeline')).toContainText('Referral completed');
});

import { execFileSync } from 'node:child_process';
import { Page, TestInfo } from '@playwright/test';
import { demo, expect, hydrated, jsEnabled, open, signIn, test } from './helpers';

/** The text of the page as Chromium prints it to PDF (A5 for the slip), read by pdftotext. */
async function printedText(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const path = testInfo.outputPath(`${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

/** A new Nangarhar family (each project its own), with consent to sharing, assessed. */
async function assessedFamily(page: Page, testInfo: TestInfo): Promise<string> {
  const latin = jsEnabled(testInfo) ? 'Wahidullah Shinwari' : 'Noor Ahmad Mohmand';
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

test('a referral to an organisation without accounts: slip printed, opened at /r with reference and code, accepted and completed in Dari, outcome on the family page', async ({ page, browser }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  const familyUrl = await assessedFamily(page, testInfo);

  // The directory says who has no accounts, and whom the family will see there.
  await open(page, familyUrl, testInfo);
  await page.locator('#plan li', { hasText: 'Income sources' }).getByRole('link', { name: 'Refer' }).click();
  await hydrated(page, testInfo);
  const cooperative = page.locator('label.radio', { hasText: "Jalalabad Women's Cooperative" });
  await expect(cooperative).toContainText('No accounts: slip and code');
  await expect(cooperative).toContainText('Fatima Ahmadi');
  await cooperative.locator('input').check();
  await page.getByRole('button', { name: 'Send the referral' }).click();

  // Straight to the slip: the reference, the code (this once) and the QR code.
  await expect(page).toHaveURL(/\/referrals\/[0-9a-f-]{36}\/slip$/);
  const slipUrl = page.url();
  const reference = (await page.locator('.slip-reference').innerText()).replace(/\s/g, '');
  const code = (await page.locator('.slip-code').innerText()).replace(/\s/g, '');
  expect(reference).toMatch(/^\d{8}$/);
  expect(code).toMatch(/^\d{8}$/);
  await expect(page.locator('.slip-qr svg')).toBeVisible();
  const printed = await printedText(page, testInfo, 'slip');
  expect(printed).toContain('Referral slip');
  expect(printed).toContain("Jalalabad Women's Cooperative");
  expect(printed).toContain('Fatima Ahmadi');
  expect(printed.replace(/\s/g, '')).toContain(reference + code);
  expect(printed).not.toContain('Sign out');
  // Shown once: the slip reloaded has no code, and offers a new one.
  await page.goto(slipUrl);
  await expect(page.locator('.slip-code')).toHaveText('—');
  await expect(page.getByRole('button', { name: 'New code and slip' })).toBeVisible();
  // The slip in Dari, right to left, with the reference.
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: 'fa-AF', url: slipUrl }]);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const slipFa = (await printedText(page, testInfo, 'slip-fa')).normalize('NFKC');
  expect(slipFa).toContain(words('برگه'));
  expect(slipFa).toContain("Jalalabad Women's Cooperative");
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: 'en', url: slipUrl }]);

  // At the cooperative, in another browser, no account: the QR code's address, in Dari.
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const coop = await context.newPage();
  await open(coop, `/r?ref=${reference}`, testInfo);
  await coop.getByRole('button', { name: 'دری' }).click();
  await expect(coop.getByRole('heading', { level: 1 })).toHaveText('باز کردن ارجاع');
  await expect(coop.locator('input[name=reference]')).toHaveValue(`${reference.slice(0, 4)} ${reference.slice(4)}`);
  // A wrong code first: said beside the form, nothing opened.
  await coop.locator('input[name=code]').fill(code === '00000000' ? '11111111' : '00000000');
  await coop.locator('form[action="/api/open_referral"] button[type=submit]').click();
  await expect(coop.getByText('شماره مرجع یا کد درست نیست')).toBeVisible();
  await hydrated(coop, testInfo);
  await coop.locator('input[name=code]').fill(code);
  await coop.locator('form[action="/api/open_referral"] button[type=submit]').click();
  await expect(coop).toHaveURL(/\/r$/);
  await expect(coop.getByText('Wahidullah Shinwari').or(coop.getByText('Noor Ahmad Mohmand'))).toBeVisible();
  await expect(coop.locator('.topbar nav')).toHaveCount(0);
  await coop.getByRole('button', { name: 'پذیرفتن ارجاع' }).click();
  await expect(coop.locator('.case-head .status')).toHaveText('پذیرفته شده');
  await hydrated(coop, testInfo);
  await coop.locator('input[name=delivered_on]').fill('1405-09-05');
  await coop.locator('textarea[name=description]').fill('Sewing course, first month');
  await coop.locator('form[action="/api/record_service"] button[type=submit]').click();
  await expect(coop.getByText('Sewing course, first month')).toBeVisible();
  await hydrated(coop, testInfo);
  await coop.locator('textarea[name=outcome]').fill('Works from home as a tailor');
  await coop.getByRole('button', { name: 'تکمیل ارجاع' }).click();
  await expect(coop.locator('.case-head .status')).toHaveText('تکمیل شده');
  // The cooperative prints what it did for its own files, in Dari.
  const coopPrinted = (await printedText(coop, testInfo, 'partner-view-fa')).normalize('NFKC');
  expect(coopPrinted).toContain('Sewing course, first month');
  expect(coopPrinted).toContain(words('تکمیل'));
  expect(coopPrinted).not.toContain(words('پایان'));
  // Finished: the phone is left with the form, not the family.
  await coop.getByRole('button', { name: 'پایان' }).click();
  await expect(coop.locator('input[name=code]')).toBeVisible();
  await context.close();

  // Back on the family page: the outcome, the service, and the code no longer offered.
  await open(page, familyUrl, testInfo);
  const referrals = page.locator('#referrals');
  await expect(referrals.locator('.referral-status-completed')).toHaveCount(1);
  await expect(referrals).toContainText('Works from home as a tailor');
  await expect(referrals).toContainText('Sewing course, first month');
  await expect(referrals).toContainText(`${reference.slice(0, 4)} ${reference.slice(4)}`);
  await expect(referrals.getByRole('button', { name: 'New code and slip' })).toHaveCount(0);
  await expect(page.locator('.timeline')).toContainText('Referral completed');

  // The case summary for the paper file, printed in English and in Dari.
  await page.getByRole('link', { name: 'Print a summary for the paper file' }).click();
  await expect(page).toHaveURL(/\/print$/);
  const summary = await printedText(page, testInfo, 'case-summary-en');
  for (const text of ['Case summary', 'Household', "Jalalabad Women's Cooperative", 'Works from home as a tailor', 'Income sources']) {
    expect(summary).toContain(text);
  }
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: 'fa-AF', url: page.url() }]);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const dari = (await printedText(page, testInfo, 'case-summary-fa')).normalize('NFKC');
  expect(dari).toContain(words('خلاصه'));
  expect(dari).toContain(words('خانوار'));
  expect(dari).toContain('Works from home as a tailor');
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: 'en', url: page.url() }]);
});

/** A word as pdftotext gives Arabic script back: letters in their basic forms (NFKC). */
function words(s: string): string {
  return s.normalize('NFKC');
}

import { execFileSync } from 'node:child_process';
import { Page, TestInfo } from '@playwright/test';
import { assessedNangarharFamily, demo, expect, hydrated, jsEnabled, open, signIn, test } from './helpers';

/** The text of the page as Chromium prints it to PDF (A5 for the slip), read by pdftotext. */
async function printedText(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const path = testInfo.outputPath(`${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

test('a referral to an organisation without accounts: slip printed, opened at /r with reference and code, accepted and completed in Dari, outcome on the family page', async ({ page, browser }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  const familyUrl = await assessedNangarharFamily(page, testInfo, jsEnabled(testInfo) ? 'Wahidullah Shinwari' : 'Noor Ahmad Mohmand');

  // The directory says who has no accounts, and whom the family will see there.
  await open(page, familyUrl, testInfo);
  await page.locator('#plan li', { hasText: 'Income sources' }).getByRole('link', { name: 'Refer' }).click();
  await hydrated(page, testInfo);
  const cooperative = page.locator('label.radio', { hasText: "Jalalabad Women's Cooperative" });
  await expect(cooperative).toContainText('No accounts: slip and code');
  await expect(cooperative).toContainText('Zarghuna Safi');
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
  expect(printed).toContain('Zarghuna Safi');
  const compact = printed.replace(/\s/g, '');
  expect(compact).toContain(`Reference${reference}`);
  expect(compact).toContain(`Code${code}`);
  expect(printed).not.toContain('Sign out');
  // Shown once: the slip reloaded has no code, and offers a new one.
  await page.goto(slipUrl);
  await expect(page.locator('.slip-code')).toHaveText('—');
  await expect(page.getByRole('button', { name: 'New code and slip' })).toBeVisible();
  // The slip in Dari, right to left, with the reference.
  await readIn(page, 'fa-AF');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const slipFa = (await printedText(page, testInfo, 'slip-fa')).normalize('NFKC');
  expect(slipFa).toContain(words('برگه'));
  expect(slipFa).toContain("Jalalabad Women's Cooperative");
  await readIn(page, 'en');

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
  expect(summary.toLowerCase()).toContain('case summary');
  for (const text of ['Household', "Jalalabad Women's Cooperative", 'Works from home as a tailor', 'Income sources']) {
    expect(summary).toContain(text);
  }
  await readIn(page, 'fa-AF');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const dari = (await printedText(page, testInfo, 'case-summary-fa')).normalize('NFKC');
  // (Words without the lam-alef ligature, which pdftotext gives back as alef-lam.)
  expect(dari).toContain(words('پرونده'));
  expect(dari).toContain(words('خانوار'));
  expect(dari).toContain('Works from home as a tailor');
  await readIn(page, 'en');
});

/**
 * Reads this browser's pages in `locale` (the language cookie, replaced where the server set
 * it) without changing the demo account's own language, which the other project's tests use.
 */
async function readIn(page: Page, locale: string) {
  const { hostname } = new URL(page.url());
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: locale, domain: hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
}

/** A word as pdftotext gives Arabic script back: letters in their basic forms (NFKC). */
function words(s: string): string {
  return s.normalize('NFKC');
}

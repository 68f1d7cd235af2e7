import { demo, expect, hydrated, jsEnabled, open, registerPerson, signIn, test } from './helpers';

test('a family registered twice is merged by the supervisor into one case with both histories, and the merge is undone', async ({ page }, testInfo) => {
  // Each project its own family (they run at the same time), in Nangarhar: out of the lists the language, assessment and referral tests pick cases from by position (Kabul, Herat).
  const p = jsEnabled(testInfo)
    ? { latin: 'Gul Agha Sherzad', father: 'Sher Agha', age: '47' }
    : { latin: 'Rahmatullah Nuristani', father: 'Abdul Qadir', age: '52' };
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');

  // Registered at the border, then again in the province: the second time the duplicate rules
  // flag the first, and the caseworker registers it anyway.
  await registerPerson(page, testInfo, p, 'Nangarhar');
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const firstUrl = page.url().replace(/^https?:\/\/[^/]+/, '');
  const firstNumber = (await page.locator('.case-number').innerText()).trim();
  await open(page, `${firstUrl}`, testInfo);
  await page.getByLabel('New note').fill('First registered at Torkham.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.locator('.notes')).toContainText('First registered at Torkham.');

  await registerPerson(page, testInfo, p, 'Nangarhar');
  const duplicates = page.getByRole('region', { name: 'This family may already have a case' });
  await expect(duplicates).toContainText(firstNumber);
  await duplicates.getByLabel('I have checked: this is a different family.').check();
  await page.getByRole('group', { name: 'Consent' }).getByLabel('The family agrees to be registered.').check();
  await page.getByRole('button', { name: 'Register the family' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const secondUrl = page.url().replace(/^https?:\/\/[^/]+/, '');
  const secondNumber = (await page.locator('.case-number').innerText()).trim();
  await hydrated(page, testInfo);
  await page.getByLabel('New note').fill('Registered again in Asadabad.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.locator('.notes')).toContainText('Registered again in Asadabad.');

  // The supervisor finds the pair on the queue of possible duplicates and compares them.
  await page.context().clearCookies();
  await signIn(page, testInfo, demo.supervisorAF);
  await expect(page).not.toHaveURL(/sign-in/);
  await open(page, '/work?list=duplicates', testInfo);
  const row = page.locator('table.work tbody tr', { hasText: secondNumber }).filter({ hasText: firstNumber });
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/\/cases\/merge\?/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Merge two records of one family');
  await hydrated(page, testInfo);
  // The first registered keeps its number; its person is kept, the same person of the
  // second record is not proposed twice.
  await expect(page.locator('input[name=survivor]:checked')).toHaveCount(1);
  const people = page.getByRole('group', { name: 'People to keep' });
  await expect(people.locator('input[type=checkbox]')).toHaveCount(2);
  await expect(people.locator('input[type=checkbox]:checked')).toHaveCount(1);
  await page.getByRole('button', { name: 'Merge the records' }).click();

  // One case with both histories.
  await expect(page).toHaveURL(new RegExp(`${firstUrl}(#merges)?$`));
  await expect(page.locator('.notes')).toContainText('First registered at Torkham.');
  await expect(page.locator('.notes')).toContainText('Registered again in Asadabad.');
  const merges = page.locator('#merges');
  await expect(merges).toContainText(`${secondNumber} was merged into this record`);
  await expect(page.locator('.timeline')).toContainText('Record merged into this one');
  await expect(page.locator('#members-title')).toContainText('1');

  // The merged-away number finds the survivor; its own record is kept, read only.
  await open(page, '/cases', testInfo);
  await page.getByRole('searchbox', { name: 'Search' }).fill(secondNumber);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('table.cases tbody tr')).toHaveCount(1);
  await expect(page.locator('table.cases tbody tr')).toContainText(firstNumber);
  await open(page, secondUrl, testInfo);
  await expect(page.locator('.merged-notice')).toContainText(`This record was merged into ${firstNumber}`);
  await expect(page.getByRole('link', { name: 'Edit household' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Open the record it was merged into' }).click();
  await expect(page).toHaveURL(firstUrl);

  // Undone: two records again, each with its own history.
  await hydrated(page, testInfo);
  await page.locator('#merges').getByRole('button', { name: 'Undo the merge' }).click();
  await expect(page).toHaveURL(firstUrl);
  await expect(page.locator('.timeline')).toContainText('Merge undone');
  await expect(page.locator('.notes')).not.toContainText('Registered again in Asadabad.');
  await open(page, secondUrl, testInfo);
  await expect(page.locator('.merged-notice')).toHaveCount(0);
  await expect(page.locator('.notes')).toContainText('Registered again in Asadabad.');
});

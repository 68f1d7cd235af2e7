import { demo, expect, jsEnabled, open, registerPerson, signIn, test } from './helpers';

test('a supervisor sees the caseloads and hands an unassigned case to a caseworker, follow-ups and all', async ({ page }, testInfo) => {
  await signIn(page, testInfo, demo.supervisorAF);
  await expect(page).toHaveURL('/cases');

  // Registered by the supervisor without choosing a caseworker: nobody's yet.
  const person = jsEnabled(testInfo)
    ? { local: 'سمیع الله وردک', latin: 'Samiullah Wardak', father: 'Habibullah', age: '52' }
    : { local: 'نجیب الله صافی', latin: 'Najibullah Safi', father: 'Amanullah', age: '47' };
  await registerPerson(page, testInfo, person);
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const familyUrl = page.url().replace(/^https?:\/\/[^/]+/, '');

  await page.getByRole('link', { name: 'Team' }).click();
  await expect(page).toHaveURL('/team');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Team');
  const caseworker = page.locator('table.team tbody tr', { hasText: 'Fatima Ahmadi' });
  await expect(caseworker).toBeVisible();
  await page.locator('table.team').getByRole('link', { name: 'Not assigned' }).click();
  await expect(page).toHaveURL('/team?caseworker=none');

  // Chosen, handed to the caseworker, in one step.
  const row = page.locator('fieldset.case-choice tr', { hasText: person.latin });
  await row.getByRole('checkbox').check();
  await page.getByLabel('Hand the chosen cases to').selectOption({ label: 'Fatima Ahmadi' });
  await page.getByRole('button', { name: 'Reassign' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The cases were reassigned' })).toBeVisible();
  // Nobody's no more: the family left the list (with it, here, the whole "not assigned" row).
  await expect(page.locator('main')).not.toContainText(person.latin);

  await open(page, familyUrl, testInfo);
  await expect(page.locator('main')).toContainText('Fatima Ahmadi');
  await expect(page.locator('.timeline')).toContainText('Assigned');
});

import { demo, expect, hydrated, jsEnabled, open, signIn, test } from './helpers';

test('a family changes: displaced within the country, a second document, a person added, the head dies and the spouse heads the household', async ({ page }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  const p = jsEnabled(testInfo)
    ? { head: 'Sayed Karim Hashimi', spouse: 'Nazanin Hashimi', tazkira: '1401-0202-33445', passport: 'P7001001' }
    : { head: 'Abdul Wahid Rahimi', spouse: 'Shakila Rahimi', tazkira: '1401-0202-55667', passport: 'P7002002' };

  // Back home in Nangarhar after years displaced in Herat (out of the language tests' Kabul
  // list), with a tazkira and a passport.
  await open(page, '/cases/new', testInfo);
  const household = page.getByRole('group', { name: 'Household' });
  await household.locator('select[name="household[province]"]').selectOption({ label: 'Nangarhar' });
  await household.getByLabel('District').fill('Jalalabad');
  await household.getByLabel('Date of return').fill('2026-10-02');
  await household.getByLabel('Type of return').selectOption({ label: 'Internally displaced, returning home' });
  await household.getByLabel('Province / governorate of displacement').selectOption({ label: 'Herat' });
  const person = page.getByRole('group', { name: 'Person 1' });
  await person.getByLabel('Name (Latin letters)').fill(p.head);
  await person.getByLabel("Father's name").fill('Sayed Ahmad');
  await person.getByLabel('Sex').selectOption({ label: 'Male' });
  await person.getByLabel('Estimated age in years').fill('61');
  await person.getByLabel('Tazkira').fill(p.tazkira);
  await person.getByLabel('Passport').fill(p.passport);
  const consent = page.getByRole('group', { name: 'Consent' });
  await consent.getByLabel('The family agrees to be registered.').check();
  await consent.getByLabel('Consent given by').fill(p.head);
  await page.getByRole('button', { name: 'Register the family' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const familyUrl = page.url().replace(/^https?:\/\/[^/]+/, '');
  const facts = page.locator('section[aria-labelledby=household-title]');
  await expect(facts).toContainText('Province / governorate of displacement');
  await expect(facts).toContainText('Herat');
  const head = page.locator('li.member', { hasText: p.head });
  await expect(head).toContainText('Passport');
  await expect(head).toContainText(p.passport);
  await expect(head).toContainText(p.tazkira.replace(/-/g, ''));
  await hydrated(page, testInfo);

  // His wife joins the record.
  await page.getByRole('link', { name: 'Add a person' }).click();
  await hydrated(page, testInfo);
  await page.getByLabel('Name (Latin letters)').fill(p.spouse);
  await page.getByLabel("Father's name").fill('Mir Ahmad');
  await page.getByLabel('Sex').selectOption({ label: 'Female' });
  await page.getByLabel('Estimated age in years').fill('55');
  await page.getByLabel('Relationship to the head of household').selectOption({ label: 'Spouse' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(familyUrl);
  await expect(page.locator('#members-title')).toContainText('2');
  await hydrated(page, testInfo);

  // He dies. Without someone to head the household the form says so beside the choice.
  await head.getByRole('link', { name: 'Edit' }).click();
  await hydrated(page, testInfo);
  await page.locator('select[name="member[presence]"]').selectOption({ label: 'Deceased' });
  await page.getByLabel('Date left or died').fill('2026-11-20');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.field.invalid')).toContainText('The head of household must live with the family');
  await hydrated(page, testInfo);
  await page.locator('select[name=new_head]').selectOption({ label: p.spouse });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(familyUrl);
  await expect(head).toContainText('Deceased');
  await expect(page.locator('#members-title')).toContainText('1');
  await expect(page.locator('li.member', { hasText: p.spouse })).toContainText('Head of household');
  await expect(page.locator('.timeline')).toContainText('Person died');
});

import { Browser, Page, TestInfo } from '@playwright/test';
import { demo, expect, hydrated, jsEnabled, open, registerPerson, signIn, test } from './helpers';

// Each browser project registers its own family, so the two runs do not meet as duplicates.
function family(testInfo: TestInfo) {
  return jsEnabled(testInfo)
    ? {
        head: ['جاوید نوری', 'Jawid Noori', 'Ghulam Nabi'],
        variant: 'جاويد نوري', // Arabic yeh instead of the Persian one
        spouse: ['شبنم نوری', 'Shabnam Noori'],
        child: ['مینا', 'Mina Noori'],
      }
    : {
        head: ['فرید سلطانی', 'Farid Sultani', 'Abdul Qader'],
        variant: 'فريد سلطاني',
        spouse: ['هما سلطانی', 'Homa Sultani'],
        child: ['یوسف', 'Yousuf Sultani'],
      };
}

async function registerFamily(page: Page, testInfo: TestInfo) {
  const f = family(testInfo);
  await open(page, '/cases/new', testInfo);
  const household = page.getByRole('group', { name: 'Household' });
  await household.locator('select[name="household[province]"]').selectOption({ label: 'Kabul' });
  await household.getByLabel('District').fill('District 13');
  await household.getByLabel('Phone').fill('0702 555 010');
  await household.getByLabel('Date of return').fill('2026-09-14');
  await household.getByLabel('Returned from').selectOption({ label: 'Iran' });
  await household.getByLabel('Type of return').selectOption({ label: 'Deported' });

  const person = async (n: number, local: string, latin: string, sex: string, age: string, relationship?: string, father?: string) => {
    if (n > 1) {
      await page.getByRole('button', { name: 'Add another person' }).click();
      await hydrated(page, testInfo);
    }
    const p = page.getByRole('group', { name: `Person ${n}` });
    await p.getByLabel('Name (Dari, Pashto or Arabic script)').fill(local);
    await p.getByLabel('Name (Latin letters)').fill(latin);
    if (father) await p.getByLabel("Father's name").fill(father);
    await p.getByLabel('Sex').selectOption({ label: sex });
    await p.getByLabel('Estimated age in years').fill(age);
    if (relationship) await p.getByLabel('Relationship to the head of household').selectOption({ label: relationship });
  };
  await person(1, f.head[0], f.head[1], 'Male', '41', undefined, f.head[2]);
  await person(2, f.spouse[0], f.spouse[1], 'Female', '36', 'Spouse');
  await person(3, f.child[0], f.child[1], 'Female', '7', 'Daughter');

  // What was typed before each "add" is still there.
  await expect(page.getByRole('group', { name: 'Person 1' }).getByLabel('Name (Latin letters)')).toHaveValue(f.head[1]);
  const consent = page.getByRole('group', { name: 'Consent' });
  await consent.getByLabel('The family agrees to be registered.').check();
  await consent.getByLabel('The family agrees that partner organisations').check();
  await consent.getByLabel('Consent given by').fill(f.head[1]);
  await page.getByRole('button', { name: 'Register the family' }).click();
}

test('a caseworker registers a family of three, finds it and edits it', async ({ page }, testInfo) => {
  const f = family(testInfo);
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  await registerFamily(page, testInfo);

  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseNumber = (await page.locator('.case-number').innerText()).trim();
  expect(caseNumber).toMatch(/^AF-\d{4}-\d{6}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(f.head[1]);
  await expect(page.getByRole('heading', { name: 'People (3)' })).toBeVisible();
  await hydrated(page, testInfo);

  // Found by a variant spelling in Arabic script, and by case number.
  await open(page, '/cases', testInfo);
  await page.getByRole('searchbox', { name: 'Search' }).fill(f.variant);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toHaveText('Cases found: 1');
  await expect(page.locator('table.cases tbody tr')).toHaveCount(1);
  await expect(page.locator('table.cases tbody tr')).toContainText(caseNumber);
  await expect(page).toHaveURL(/q=/);

  await page.getByRole('searchbox', { name: 'Search' }).fill(caseNumber);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('table.cases tbody tr')).toHaveCount(1);
  await page.getByRole('link', { name: caseNumber }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(f.head[1]);
  await hydrated(page, testInfo);

  // Edit the household.
  await page.getByRole('link', { name: 'Edit household' }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await hydrated(page, testInfo);
  await page.getByLabel('District').fill('District 14');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(page.locator('.case-head')).toContainText('District 14');
  await expect(page.locator('.timeline')).toContainText('Household edited: District');
});

test('a second session editing the same family gets the conflict and keeps its typing', async ({ browser, page }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  await open(page, '/cases?sort=case_number', testInfo);
  // Each browser project edits its own case: they run at the same time.
  const caseLink = page.locator('table.cases tbody tr a').nth(jsEnabled(testInfo) ? 5 : 6);
  const url = await caseLink.getAttribute('href');

  const other = await otherSession(browser, testInfo, demo.supervisorAF);
  await open(other, `${url}/edit`, testInfo);
  await open(page, `${url}/edit`, testInfo);

  // The supervisor saves first.
  await other.getByLabel('Address').fill(`Saved first (${testInfo.project.name})`);
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other).toHaveURL(new RegExp(`${url}$`));

  // The caseworker, still on the old version, saves second.
  await page.getByLabel('District').fill('Typed by the second editor');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Someone else saved this record since you opened it.')).toBeVisible();
  await expect(page.locator('.conflict')).toContainText('Address');
  await expect(page.locator('.conflict')).toContainText('Mohammad Karimi');
  await expect(page.getByLabel('District')).toHaveValue('Typed by the second editor');

  // Saving again, knowingly, goes through.
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(new RegExp(`${url}$`));
  await expect(page.locator('.case-head')).toContainText('Typed by the second editor');
  await other.close();
});

test('registering the same family again is flagged as a possible duplicate', async ({ page }, testInfo) => {
  const f = family(testInfo);
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  await open(page, '/cases', testInfo);
  await page.getByRole('searchbox', { name: 'Search' }).fill(f.head[1]);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('table.cases tbody tr')).toHaveCount(1);
  const existing = (await page.locator('table.cases tbody tr a').first().innerText()).trim();

  await registerFamily(page, testInfo);
  const duplicates = page.getByRole('region', { name: 'This family may already have a case' });
  await expect(duplicates).toBeVisible();
  await expect(duplicates).toContainText(existing);
  await expect(page).toHaveURL(/\/cases\/new/);

  // Confirmed as a different family, it is registered and the check is on its timeline.
  await duplicates.getByLabel('I have checked: this is a different family.').check();
  const consent = page.getByRole('group', { name: 'Consent' });
  await consent.getByLabel('The family agrees to be registered.').check();
  await page.getByRole('button', { name: 'Register the family' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(page.locator('.timeline')).toContainText(existing);
});

test('a name typed in Latin letters finds the person registered in Arabic script, in search and at registration', async ({ page }, testInfo) => {
  // Each project its own person (they run at the same time); both born in 1985.
  const person = jsEnabled(testInfo)
    ? { local: 'محمد کریمی', latin: 'Mohammad Karimi', father: ['احمد', 'Ahmad'] }
    : { local: 'حبیب سروری', latin: 'Habib Sarwari', father: ['قاسم', 'Qasim'] };
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  await registerPerson(page, testInfo, { local: person.local, father: person.father[0], age: '41' });
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseNumber = (await page.locator('.case-number').innerText()).trim();

  // The case list finds it by the Latin spelling.
  await open(page, '/cases', testInfo);
  const box = page.getByRole('searchbox', { name: 'Search' });
  if (jsEnabled(testInfo)) {
    // Search as you type: the matches appear under the box.
    await box.pressSequentially(person.latin, { delay: 20 });
    const suggestions = page.getByRole('list', { name: 'Matching cases' });
    await expect(suggestions).toContainText(caseNumber);
    await box.fill('');
  }
  await box.fill(person.latin);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('table.cases tbody')).toContainText(caseNumber);

  // Registering the same man in Latin letters only is flagged as a possible duplicate.
  await registerPerson(page, testInfo, { latin: person.latin, father: person.father[1], age: '41' });
  const duplicates = page.getByRole('region', { name: 'This family may already have a case' });
  await expect(duplicates).toBeVisible();
  await expect(duplicates).toContainText(caseNumber);
  await expect(page).toHaveURL(/\/cases\/new/);
});

async function otherSession(browser: Browser, testInfo: TestInfo, email: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo), baseURL: testInfo.project.use.baseURL });
  const page = await context.newPage();
  await signIn(page, testInfo, email);
  await expect(page).toHaveURL('/cases');
  return page;
}

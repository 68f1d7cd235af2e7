import { demo, expect, hydrated, jsEnabled, open, registerPerson, signIn, test } from './helpers';

/** The date `days` after today on Kabul's clocks (what the work lists call today), as YYYY-MM-DD. */
function kabulDate(days: number): string {
  const kabul = new Date(Date.now() + 4.5 * 3600_000 + days * 86400_000);
  return kabul.toISOString().slice(0, 10);
}

test('a family moves: the transfer is proposed, accepted by a supervisor and the case with its follow-up reaches the new caseworker', async ({ page, browser }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  const person = jsEnabled(testInfo)
    ? { local: 'عبدالرحیم نوری', latin: 'Abdul Rahim Noori', father: 'Ghulam Sakhi', age: '39' }
    : { local: 'محمد داود حیدری', latin: 'Mohammad Dawood Haidari', father: 'Abdul Qadir', age: '44' };
  // In Nangarhar: the language tests open the first Kabul case on their list, which must not
  // leave their sight in the middle of it.
  await registerPerson(page, testInfo, person, 'Nangarhar');
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const familyUrl = page.url().replace(/^https?:\/\/[^/]+/, '');
  const caseNumber = (await page.locator('.case-number').innerText()).trim();
  await hydrated(page, testInfo);

  // A visit planned for later this week.
  const followUps = page.locator('#follow-ups');
  await followUps.locator('summary', { hasText: 'Add a follow-up' }).click();
  await followUps.getByLabel('Type').selectOption({ label: 'Home visit' });
  await followUps.getByLabel('Due date').fill(kabulDate(2));
  await followUps.locator('form:has(input[name=due_on]) button[type=submit]').click();
  await expect(followUps.locator('li.follow-up')).toHaveCount(1);
  await hydrated(page, testInfo);

  // The family moved north: proposed for Balkh, with a handover note. A missing district is
  // refused beside its field first.
  const transfer = page.locator('#transfer');
  await transfer.locator('summary', { hasText: 'Propose a transfer' }).click();
  await transfer.getByLabel('New province').selectOption({ label: 'Balkh' });
  await transfer.getByLabel('Reason').selectOption({ label: 'The family moved' });
  await transfer.getByLabel('Handover note for the receiving team').fill('Living with the wife\'s brother near the Blue Mosque.');
  await transfer.locator('form:has(select[name=to_province]) button[type=submit]').click();
  await expect(transfer.locator('.field.invalid')).toContainText('New district');
  await hydrated(page, testInfo);
  await transfer.getByLabel('New district').fill('Mazar-i-Sharif');
  await transfer.locator('form:has(select[name=to_province]) button[type=submit]').click();
  await expect(transfer).toContainText('Proposed for transfer to Balkh');
  await expect(page.locator('.timeline')).toContainText('Transfer proposed');

  // The supervisor finds it among the transfers waiting and accepts it for Balkh's caseworker.
  const supervisorContext = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const supervisor = await supervisorContext.newPage();
  await signIn(supervisor, testInfo, demo.supervisorAF);
  await expect(supervisor).toHaveURL('/cases');
  await open(supervisor, '/work?list=transfers', testInfo);
  const row = supervisor.locator('table.work tbody tr', { hasText: caseNumber });
  await expect(row).toContainText('Balkh');
  await row.getByRole('link').click();
  await expect(supervisor).toHaveURL(/#transfer$/);
  await hydrated(supervisor, testInfo);
  const panel = supervisor.locator('#transfer');
  await expect(panel).toContainText('Living with the wife\'s brother');
  await panel.getByLabel('Give the case to').selectOption({ label: 'Hamid Sultani' });
  await panel.getByRole('button', { name: 'Accept the transfer' }).click();
  const head = supervisor.locator('.case-head');
  await expect(head).toContainText('Balkh');
  await expect(head).toContainText('Mazar-i-Sharif');
  await expect(head).toContainText('Hamid Sultani');
  await expect(supervisor.locator('.timeline')).toContainText('Transfer accepted');
  await supervisorContext.close();

  // The sending caseworker has lost sight of it…
  await open(page, familyUrl, testInfo);
  await expect(page.locator('main')).toContainText('not yours to see');
  await expect(page.locator('main')).not.toContainText(person.latin);

  // …and the new caseworker has it, with the visit on this week's work list.
  const northContext = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const north = await northContext.newPage();
  await signIn(north, testInfo, demo.caseworkerNorthAF);
  await expect(north).toHaveURL('/cases');
  await open(north, '/work?list=week', testInfo);
  const visit = north.locator('table.work tbody tr', { hasText: caseNumber });
  await expect(visit).toContainText('Home visit');
  await visit.getByRole('link').click();
  await expect(north.locator('h1')).toContainText(person.latin);
  await expect(north.locator('#follow-ups li.follow-up')).toHaveCount(1);
  await northContext.close();
});

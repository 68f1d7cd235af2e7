import { demo, expect, hydrated, jsEnabled, open, signIn, test } from './helpers';

test('a caseworker records an overdue follow-up with a re-assessment; a case is closed and reopened', async ({ page, browser }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');

  // The overdue work list (the demo's Nangarhar families each have a call three days late).
  await open(page, '/work?list=overdue', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Follow-ups');
  const rows = page.locator('table.work tbody tr');
  await expect(rows.first()).toBeVisible();
  await rows.nth(jsEnabled(testInfo) ? 0 : 1).locator('a').click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}#follow-ups$/);
  const familyUrl = page.url().replace(/^https?:\/\/[^/]+/, '').replace(/#.*$/, '');
  await hydrated(page, testInfo);
  const followUps = page.locator('#follow-ups');
  const overdue = followUps.locator('li', { hasText: 'Overdue' });
  await expect(overdue).toHaveCount(1);

  // Recorded with a re-assessment: the follow-up is done and the chart has a second point.
  await overdue.locator('summary').click();
  await overdue.getByRole('link', { name: 'Record with a re-assessment' }).click();
  await expect(page).toHaveURL(/\/assess\?follow_up=/);
  await hydrated(page, testInfo);
  for (const [q, a] of [
    ['How many regular sources of income does the household have?', 'One'],
    ['Can household members get health care when they need it?', 'Yes'],
    ['Do you feel you belong in the community where you live now?', 'Strongly'],
  ]) {
    await page.getByRole('group', { name: q }).getByLabel(a, { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Save the assessment' }).click();
  await expect(page).toHaveURL(/\/assessments\//);
  await open(page, familyUrl, testInfo);
  await expect(followUps.locator('li', { hasText: 'Overdue' })).toHaveCount(0);
  await expect(followUps.getByRole('link', { name: 'Re-assessment taken at this follow-up' })).toHaveCount(1);
  await expect(page.locator('#assessment svg .series-composite circle')).toHaveCount(2);

  // Closure: requested by the caseworker…
  await page.locator('#closure summary').click();
  await page.locator('#closure').getByLabel('Reason for closing').selectOption({ label: 'Reintegrated' });
  await page.locator('#closure').getByLabel('Note for the supervisor').fill('Both parents working, children in school.');
  await page.getByRole('button', { name: 'Request closure' }).click();
  await expect(page.locator('#closure')).toContainText('waiting for the supervisor');
  await hydrated(page, testInfo);

  // …approved by the supervisor, then reopened.
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const supervisor = await context.newPage();
  await signIn(supervisor, testInfo, demo.supervisorAF);
  await expect(supervisor).toHaveURL('/cases');
  await open(supervisor, familyUrl, testInfo);
  await supervisor.getByRole('button', { name: 'Approve and close the case' }).click();
  await expect(supervisor.locator('.case-head .status')).toHaveText('Closed');
  await hydrated(supervisor, testInfo);
  await supervisor.getByLabel('Why the case is reopened').fill('The family asked for help again.');
  await supervisor.getByRole('button', { name: 'Reopen the case' }).click();
  // Assessed, never planned nor referred: it returns to what its history earns.
  await expect(supervisor.locator('.case-head .status')).toHaveText('Assessed');
  await context.close();

  await open(page, familyUrl, testInfo);
  const timeline = page.locator('.timeline');
  await expect(timeline).toContainText('Closure requested');
  await expect(timeline).toContainText('Case closed');
  await expect(timeline).toContainText('Case reopened');
});

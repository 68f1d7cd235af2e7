import { Page, TestInfo } from '@playwright/test';
import { demo, expect, hydrated, jsEnabled, open, signIn, test } from './helpers';

// Each browser project assesses its own demo family (Herat cases, by case number), so the two
// runs never touch the same record.
async function openFamily(page: Page, testInfo: TestInfo) {
  await open(page, '/cases?province=AF-HER&sort=case_number', testInfo);
  const row = page.locator('table.cases tbody tr').nth(jsEnabled(testInfo) ? 0 : 1);
  await row.locator('a').first().click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  await hydrated(page, testInfo);
}

/** Answers questions by their text and the label of the answer. */
async function answer(page: Page, answers: [string, string][]) {
  for (const [question, choice] of answers) {
    await page.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check();
  }
}

const hard: [string, string][] = [
  ['How many regular sources of income does the household have?', 'None'],
  ['Where does the household live?', 'Without shelter, or in a tent or makeshift shelter'],
  ['Can household members get health care when they need it?', 'Yes'],
  ['Do you feel you belong in the community where you live now?', 'Somewhat'],
  [
    'In the past two weeks, how often did household members feel so upset, afraid or hopeless that it was hard to cope?',
    'Most days',
  ],
];

const better: [string, string][] = [
  ['How many regular sources of income does the household have?', 'One'],
  ['Where does the household live?', 'Adequate housing, rented or hosted'],
  ['Can household members get health care when they need it?', 'Yes'],
  ['Do you feel you belong in the community where you live now?', 'Strongly'],
  [
    'In the past two weeks, how often did household members feel so upset, afraid or hopeless that it was hard to cope?',
    'Some days',
  ],
];

test('a caseworker assesses a family twice, plans for its needs and sees its progress', async ({ page }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  await openFamily(page, testInfo);
  const familyUrl = page.url();
  await expect(page.getByText('No assessment yet.')).toBeVisible();

  // First assessment, dated earlier in the month; one part left empty is refused first.
  await page.getByRole('link', { name: 'Assess the family' }).click();
  await expect(page).toHaveURL(/\/assess$/);
  await hydrated(page, testInfo);
  await page.getByLabel('Date of the assessment').fill('2026-11-01');
  await answer(page, hard.slice(0, 3));
  await page.getByRole('button', { name: 'Save the assessment' }).click();
  await expect(page.getByText('Answer at least one question in this part.')).toBeVisible();
  await hydrated(page, testInfo);
  await page.getByLabel('Date of the assessment').fill('2026-11-01');
  await answer(page, hard);
  await page.getByRole('button', { name: 'Save the assessment' }).click();

  // The result at once: scores and the needs the answers revealed.
  await expect(page).toHaveURL(/\/assessments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Assessment of 1 November 2026');
  const needs = page.locator('ul.needs');
  await expect(needs).toContainText('Income sources');
  await expect(needs).toContainText('Housing');
  await expect(needs).toContainText('Distress');
  await expect(page.locator('dl.scores .score')).toHaveCount(4);
  await hydrated(page, testInfo);

  // The plan proposes an item per need; the caseworker confirms one.
  await page.getByRole('link', { name: 'Go to the plan' }).click();
  await expect(page).toHaveURL(/\/plan$/);
  await hydrated(page, testInfo);
  const income = page.getByRole('group', { name: 'Income sources' });
  await income.getByLabel('Planned action').fill('Cash-for-work with the district council');
  await income.getByLabel('Target date').fill('2026-12-20');
  await income.getByLabel('Status').selectOption({ label: 'Planned' });
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await expect(page).toHaveURL(familyUrl);
  const plan = page.locator('#plan');
  await expect(plan).toContainText('Cash-for-work with the district council');
  await expect(plan.locator('li', { hasText: 'Income sources' })).toContainText('Planned');
  await expect(plan.locator('li', { hasText: 'Housing' })).toContainText('Proposed');
  await hydrated(page, testInfo);

  // Second assessment, today: better answers.
  await page.getByRole('link', { name: 'New assessment' }).click();
  await hydrated(page, testInfo);
  await answer(page, better);
  await page.getByRole('button', { name: 'Save the assessment' }).click();
  await expect(page).toHaveURL(/\/assessments\//);
  await open(page, familyUrl.replace(/^https?:\/\/[^/]+/, ''), testInfo);

  // Both points on the chart, their numbers in the table, the case "In progress" (its plan
  // has a confirmed item).
  const assessment = page.locator('#assessment');
  await expect(assessment.locator('svg .series-composite circle')).toHaveCount(2);
  await expect(assessment.locator('svg .series-economic circle')).toHaveCount(2);
  await expect(assessment.locator('table.assessments tbody tr')).toHaveCount(2);
  await expect(page.locator('.case-head .status')).toHaveText('In progress');
  const composites = await assessment.locator('table.assessments tbody tr td strong').allInnerTexts();
  expect(Number(composites[0])).toBeGreaterThan(Number(composites[1]));
  await expect(page.locator('.timeline')).toContainText('Assessed');
});

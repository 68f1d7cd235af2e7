import { Workbook } from 'exceljs';
import { demo, expect, hydrated, signIn, test } from './helpers';

test('a programme manager filters to one governorate and one year, reads the charts and downloads the Excel file', async ({ page }, testInfo) => {
  await signIn(page, testInfo, demo.manager);
  await expect(page).toHaveURL('/overview');
  await hydrated(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Programme overview');

  // Nineveh, this year.
  const year = String(new Date().getUTCFullYear());
  const filters = page.getByRole('search');
  await filters.getByLabel('Province or governorate').selectOption({ label: 'Nineveh' });
  await filters.getByLabel('Year').selectOption(year);
  await filters.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(new RegExp(`/overview\\?country=&province=IQ-NI&year=${year}`));
  await hydrated(page, testInfo);
  await expect(filters.getByLabel('Country')).toHaveValue('IQ');

  // Each indicator is a chart with its numbers beside it; Nineveh is the only governorate.
  const registrations = page.locator('#table-registrations');
  await expect(registrations.getByRole('heading')).toHaveText('Registrations by province or governorate');
  await expect(registrations.getByRole('img')).toBeVisible();
  const rows = registrations.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator('th')).toHaveText('Nineveh');
  await expect(rows.nth(1).locator('th')).toHaveText('Total');
  const pageTotal = await rows.nth(1).locator('td').allInnerTexts();
  for (const cell of pageTotal) expect(cell).toMatch(/^(<5|\d+)$/);
  await expect(page.locator('#table-monthly svg polyline.trend, #table-monthly svg circle.point')).not.toHaveCount(0);
  await expect(page.locator('#table-monthly tbody tr')).toHaveCount(13);

  // The Excel file of every table, opened and read.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download every table (Excel)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^homeward-overview-iq-iq-ni-${year}-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
  const path = testInfo.outputPath('overview.xlsx');
  await download.saveAs(path);
  const book = new Workbook();
  await book.xlsx.readFile(path);
  const names = book.worksheets.map((w) => w.name);
  expect(names).toEqual(expect.arrayContaining(['registrations', 'monthly', 'sex_age', 'referrals_by_service', 'outcomes_by_service', 'outcomes_by_organisation', 'follow_ups', 'closures']));
  const sheet = book.getWorksheet('registrations')!;
  expect(sheet.getCell('A1').text).toBe('Registrations by province or governorate');
  expect(sheet.getCell('A2').text).toMatch(/^Extracted on \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\)$/);
  expect(sheet.getCell('A3').text).toBe(`Filters: Country: Iraq · Province or governorate: Nineveh · Year: ${year}`);
  expect([sheet.getCell('B5').text, sheet.getCell('C5').text]).toEqual(['Families', 'Individuals']);
  expect(sheet.getCell('A6').text).toBe('Nineveh');
  expect(sheet.getCell('A7').text).toBe('Total');
  // The same figures as the page: numbers as numbers, hidden counts as "<5".
  const fileTotal = [sheet.getCell('B7'), sheet.getCell('C7')].map((c) => (typeof c.value === 'number' ? String(c.value) : c.text));
  expect(fileTotal).toEqual(pageTotal);
  for (const w of book.worksheets) {
    w.eachRow((row) => row.eachCell((cell) => {
      if (typeof cell.value === 'number' && !['0%', '0.00', '+0.00;-0.00;0.00', '0.0'].includes(cell.numFmt)) {
        expect(cell.value, `${w.name} ${cell.address}`).toBeGreaterThanOrEqual(5);
      }
    }));
  }
});

test('a programme manager reads the headline figures first, jumps to a section and finds the quiet provinces folded away', async ({ page }, testInfo) => {
  await signIn(page, testInfo, demo.manager);
  await expect(page).toHaveURL('/overview');
  await hydrated(page, testInfo);

  // The year under way, each figure beside the same months or the whole of the year before.
  const now = new Date();
  const year = now.getUTCFullYear();
  const glance = page.getByRole('region', { name: `At a glance: ${year} so far` });
  await expect(glance.getByRole('listitem')).toHaveCount(7);
  const registered = glance.locator('#figure-registered');
  await expect(registered.locator('.figure-label')).toHaveText('Families registered');
  await expect(registered.locator('.figure-value')).toHaveText(/^(<5|\d+)$/);
  await expect(registered.locator('.figure-previous')).toHaveText(new RegExp(`^January(–[A-Z][a-z]+)? ${year - 1}: (<5|\\d+)( \\([+-]\\d+\\))?$`));
  const accepted = glance.locator('#figure-referrals_accepted');
  await expect(accepted.locator('.figure-value')).toHaveText(/^(\d+%|–)$/);
  await expect(accepted.locator('.figure-previous')).toHaveText(new RegExp(`^${year - 1}: (\\d+%|–)( \\([+-]\\d+ points\\))?$`));
  await expect(glance.locator('#figure-lost_to_follow_up .figure-previous')).toHaveCount(0);

  // Every section is one link away, and the figures come before them.
  const sections = page.getByRole('navigation', { name: 'On this page' }).getByRole('link');
  await expect(sections).toHaveText(['Who returned', 'Assessments', 'Referrals', 'Follow-up and closure', 'About these figures']);
  await sections.filter({ hasText: 'Referrals' }).click();
  await expect(page).toHaveURL(/#section-referrals$/);
  await expect(page.locator('#section-referrals > h2')).toBeInViewport();
  await expect(page.locator('#section-referrals #table-referrals_by_service')).toHaveCount(1);
  const achieved = page.locator('#section-referrals #table-outcomes_by_service');
  await expect(achieved.getByRole('heading')).toHaveText('What completed referrals achieved, by service category');
  await expect(achieved.locator('thead th')).toHaveText(['', 'Completed, assessed before and after', 'Economic (mean change)', 'Social (mean change)', 'Psychosocial (mean change)', 'Composite (mean change)']);
  for (const cell of await achieved.locator('tbody td').allInnerTexts()) expect(cell).toMatch(/^(<5|\d+|–|[+-]\d\.\d\d)$/);

  // Provinces and governorates with nothing to show (fewer than 5 families): no row, no
  // bar; their figures folded away under the table.
  const registrations = page.locator('#table-registrations');
  const folded = registrations.locator('details.folded');
  const summary = await folded.locator('summary').innerText();
  expect(summary).toMatch(/^Provinces and governorates with fewer than 5: \d+$/);
  const quiet = Number(summary.split(': ')[1]);
  const rows = registrations.locator('.table-wrap').first().locator('tbody tr');
  await expect(rows).toHaveCount(53 - quiet + 1);
  await expect(registrations.locator('svg rect.bar')).toHaveCount(53 - quiet);
  for (const cell of await rows.locator('td:first-of-type').allInnerTexts()) expect(cell).toMatch(/^\d+$/);
  const hidden = folded.locator('tbody tr');
  await expect(hidden.first()).toBeHidden();
  await folded.locator('summary').click();
  await expect(hidden).toHaveCount(quiet);
  await expect(hidden.first()).toBeVisible();
  for (const cell of await hidden.locator('td:first-of-type').allInnerTexts()) expect(cell).toBe('<5');
});

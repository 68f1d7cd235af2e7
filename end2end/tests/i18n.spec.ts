import AxeBuilder from '@axe-core/playwright';
import { Page, TestInfo } from '@playwright/test';
import { expect, hydrated, jsEnabled, open, signIn, test } from './helpers';

const languages = [
  { tag: 'en', button: 'English', dir: 'ltr', signIn: 'Sign in', list: 'My cases' },
  { tag: 'fa-AF', button: 'دری', dir: 'rtl', signIn: 'ورود', list: 'قضایای من' },
  { tag: 'ps', button: 'پښتو', dir: 'rtl', signIn: 'ننوتل', list: 'زما قضیې' },
  { tag: 'ar', button: 'العربية', dir: 'rtl', signIn: 'تسجيل الدخول', list: 'حالاتي' },
];

function account(testInfo: TestInfo) {
  return `i18n.${testInfo.project.name}@test.homeward.org`;
}

/** Text that overflows its box, boxes that overlap their neighbours, a page wider than the screen. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      problems.push(`page is wider than the window: ${doc.scrollWidth} > ${window.innerWidth}`);
    }
    const visible = (e: Element) => {
      const s = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
    };
    for (const el of Array.from(document.querySelectorAll('label, button, a, h1, h2, h3, p, legend, dt, dd, th, td, select, input'))) {
      // Tables scroll sideways inside their frame; the skip link waits off-screen for focus.
      if (!visible(el) || el.closest('.table-wrap') || el.closest('.skip-link')) continue;
      const s = getComputedStyle(el);
      const clips = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
      const tag = el.tagName.toLowerCase();
      if (clips && tag !== 'input' && tag !== 'select' && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`clipped ${tag}: ${(el.textContent || '').trim().slice(0, 40)}`);
      }
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 || r.left < -1) {
        problems.push(`outside the window ${tag}: ${(el.textContent || '').trim().slice(0, 40)}`);
      }
    }
    const groups = ['.mainnav li', '.usermenu > *', '.language-switcher > *', 'form .field', '.filters > *', '.facts > *'];
    for (const sel of groups) {
      const items = Array.from(document.querySelectorAll(sel)).filter(visible);
      const boxes = items.map((e) => e.getBoundingClientRect());
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i], b = boxes[j];
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && h > 1 && items[i].parentElement === items[j].parentElement) {
            problems.push(`overlap in ${sel}: "${(items[i].textContent || '').trim().slice(0, 30)}" / "${(items[j].textContent || '').trim().slice(0, 30)}"`);
          }
        }
      }
    }
    return problems;
  });
}

async function check(page: Page, testInfo: TestInfo, name: string) {
  for (const [label, size] of [['phone', { width: 375, height: 740 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    await page.setViewportSize(size);
    const shot = testInfo.outputPath(`${name}-${label}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach(`${name}-${label}`, { path: shot, contentType: 'image/png' });
    expect(await layoutProblems(page), `${name} on a ${label}`).toEqual([]);
  }
}

/**
 * What axe-core finds serious or critical on the page (WCAG 2.1 A and AA rules and its best
 * practices). axe runs as a script in the page, so only with JavaScript on; the HTML it
 * checks is the same without.
 */
async function accessibilityProblems(page: Page, testInfo: TestInfo): Promise<string[]> {
  if (!jsEnabled(testInfo)) return [];
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const lang of languages) {
  test(`sign-in, case list and family pages in ${lang.tag} are whole, ${lang.dir} and accessible`, async ({ page }, testInfo) => {
    await open(page, '/sign-in', testInfo);
    await page.getByRole('button', { name: lang.button, exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang.tag);
    await expect(page.locator('html')).toHaveAttribute('dir', lang.dir);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang.signIn);
    await hydrated(page, testInfo);
    await check(page, testInfo, `sign-in-${lang.tag}`);
    expect(await accessibilityProblems(page, testInfo), `sign-in in ${lang.tag}`).toEqual([]);

    // Signed in, the user's own language applies; they switch to this one.
    await signIn(page, testInfo, account(testInfo), 'a test password of length');
    await page.waitForURL('**/cases');
    await hydrated(page, testInfo);
    await page.locator('footer').getByRole('button', { name: lang.button, exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang.tag);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang.list);
    await hydrated(page, testInfo);
    await check(page, testInfo, `cases-${lang.tag}`);
    expect(await accessibilityProblems(page, testInfo), `case list in ${lang.tag}`).toEqual([]);
    await page.locator('table.cases tbody tr a').first().click();
    await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
    await hydrated(page, testInfo);
    expect(await accessibilityProblems(page, testInfo), `family page in ${lang.tag}`).toEqual([]);
    await page.locator('footer').getByRole('button', { name: 'English', exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
}

test('a Dari-speaking caseworker enters a Solar Hijri date in Persian digits; English shows it in Gregorian', async ({ page }, testInfo) => {
  await signIn(page, testInfo, account(testInfo), 'a test password of length');
  await expect(page).toHaveURL('/cases');
  await hydrated(page, testInfo);
  await page.locator('footer').getByRole('button', { name: 'دری', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('قضایای من');
  // Dates in the list are Solar Hijri, in Persian digits.
  await expect(page.locator('table.cases tbody tr').first()).toContainText(/[۰-۹]{4}/);
  await hydrated(page, testInfo);

  // A family of this test's own (registered through the API, signed in as this user), whose
  // date of return the caseworker then edits in Dari.
  const registered = await page.request.post('/api/register_family', {
    headers: { accept: 'application/json' },
    form: {
      'household[province]': 'AF-KAB',
      'household[district]': 'District 3',
      'household[return_date]': '2026-05-01',
      'household[returned_from]': 'PK',
      'household[return_type]': 'spontaneous',
      'members[0][name_latin]': `Calendar Test ${testInfo.project.name}`,
      'members[0][sex]': 'female',
      'members[0][age]': '30',
      'members[0][relationship]': 'head',
      consent_registration: 'yes',
      consent_given_by: 'Calendar Test',
      calendar: 'gregorian',
    },
  });
  expect(registered.status()).toBe(200);
  const href = `/cases/${await registered.json()}`;
  await open(page, `${href}/edit`, testInfo);
  const date = page.getByLabel('تاریخ عودت');
  await expect(date).toHaveValue(/^[۰-۹]{4}-[۰-۹]{2}-[۰-۹]{2}$/);
  await date.fill('۱۴۰۵/۰۶/۱۵');
  await page.getByRole('button', { name: 'ذخیره' }).click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.locator('main')).toContainText('۱۵ سنبله ۱۴۰۵');

  await page.locator('footer').getByRole('button', { name: 'English', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page.locator('main')).toContainText('6 September 2026');
});

import { demo, DEMO_PASSWORD, expect, hydrated, open, signIn, test } from './helpers';

const homes: [string, string, string][] = [
  [demo.caseworkerAF, '/cases', 'My cases'],
  [demo.supervisorAF, '/cases', 'Caseload'],
  [demo.caseworkerIQ, '/cases', 'My cases'],
  [demo.supervisorIQ, '/cases', 'Caseload'],
  [demo.partnerAF, '/referrals', 'Referrals to my organisation'],
  [demo.partnerIQ, '/referrals', 'Referrals to my organisation'],
  [demo.manager, '/overview', 'Programme overview'],
  [demo.admin, '/admin', 'Administration'],
];

for (const [email, path, heading] of homes) {
  test(`${email} signs in and lands on ${path}`, async ({ page }, testInfo) => {
    await signIn(page, testInfo, email);
    await expect(page).toHaveURL(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  });
}

test('a wrong password shows an error; nothing typed is kept on the server', async ({ page }, testInfo) => {
  await signIn(page, testInfo, demo.manager, 'not the right password');
  await expect(page.getByRole('alert').filter({ hasText: 'The email address or password is not correct.' })).toBeVisible();
  // The page came back from the server with only the error's code in its address: nothing
  // typed (people type passwords into the email field) was stored or sent back.
  await expect(page).toHaveURL(/\/sign-in\?error=bad_credentials/);
  await expect(page.getByLabel('Email address')).toHaveValue('');
  await expect(page.getByLabel('Password')).toHaveValue('');
});

test('the sixth attempt is locked out, even with the right password', async ({ page }, testInfo) => {
  const email = `lockout.${testInfo.project.name}@test.homeward.org`;
  for (let i = 0; i < 5; i++) {
    await signIn(page, testInfo, email, `wrong password ${i}`);
    await expect(page.getByRole('alert').filter({ hasText: 'not correct' })).toBeVisible();
  }
  await signIn(page, testInfo, email, 'a test password of length');
  await expect(page.getByRole('alert').filter({ hasText: 'Too many failed attempts' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test('a partner opening an administration page gets no access', async ({ page }, testInfo) => {
  await signIn(page, testInfo, demo.partnerAF);
  await expect(page).toHaveURL('/referrals');
  const response = await page.goto('/admin/users');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
  await expect(page.getByText(demo.admin)).toHaveCount(0);
});

test('a visitor who is not signed in is sent to sign in and then brought back', async ({ page }, testInfo) => {
  await page.goto('/admin/audit');
  await expect(page).toHaveURL('/sign-in?next=/admin/audit');
  await hydrated(page, testInfo);
  await page.getByLabel('Email address').fill(demo.admin);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/admin/audit');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
});

test('signing out ends the session', async ({ page, context }, testInfo) => {
  await signIn(page, testInfo, demo.supervisorAF);
  await expect(page).toHaveURL('/cases');
  const before = (await context.cookies()).find((c) => c.name === 'hw_session');
  expect(before).toBeTruthy();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/sign-in');
  // The old cookie, put back, opens nothing: the session is gone on the server.
  await context.addCookies([{ ...before! }]);
  await page.goto('/cases');
  await expect(page).toHaveURL('/sign-in?next=/cases');
});

test('an administrator creates an account, with errors beside the fields first', async ({ page }, testInfo) => {
  await signIn(page, testInfo, demo.admin);
  await expect(page).toHaveURL('/admin');
  await open(page, '/admin/users', testInfo);
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create' }) });
  const email = `new.caseworker.${testInfo.project.name}@morr.example`;
  await form.getByLabel('Full name').fill('Hamid Sultani');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Role').selectOption('caseworker');
  await form.getByLabel('Organisation').selectOption({ label: 'Ministry of Refugees and Repatriation (MoRR)' });
  await form.getByLabel('Initial password').fill('short');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('Enter at least 12 characters.')).toBeVisible();
  await expect(page.getByText('This field is required.')).toBeVisible(); // no areas chosen
  await expect(form.getByLabel('Full name')).toHaveValue('Hamid Sultani');

  await form.getByLabel('Kabul').check();
  await form.getByLabel('Initial password').fill('a long enough password');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hamid Sultani');
  await expect(page.getByLabel('Kabul')).toBeChecked();

  // The audit log shows who did it.
  await open(page, '/admin/audit?action=user_created', testInfo);
  await expect(page.locator('table.data tbody tr').first()).toContainText(demo.admin);
});

import { assessedNangarharFamily, demo, expect, hydrated, jsEnabled, open, signIn, test } from './helpers';

test('a caseworker keeps a photo and a PDF on file, a wrongly named file is refused, the PDF is shared with the partner, and the photo deleted with a reason', async ({ page, browser }, testInfo) => {
  await signIn(page, testInfo, demo.caseworkerAF);
  await expect(page).toHaveURL('/cases');
  const familyUrl = await assessedNangarharFamily(page, testInfo, jsEnabled(testInfo) ? 'Sayed Jalal Hashimi' : 'Mir Ahmad Kakar');
  // Refer the family to a partner with accounts, to share a paper with.
  await open(page, familyUrl, testInfo);
  await page.locator('#plan li', { hasText: 'Income sources' }).getByRole('link', { name: 'Refer' }).click();
  await hydrated(page, testInfo);
  await page.getByLabel(/Afghan Livelihoods Network/).check();
  await page.getByRole('button', { name: 'Send the referral' }).click();
  await expect(page).toHaveURL(new RegExp(`${familyUrl}(#referrals)?$`));
  const caseNumber = (await page.locator('.case-number').innerText()).trim();

  // Files as a phone or a scanner makes them: a JPEG photo, a PDF, a PNG named .pdf.
  const photo = await page.screenshot({ type: 'jpeg', quality: 60 });
  const png = await page.screenshot({ type: 'png' });
  const pdf = await page.pdf();
  const panel = page.locator('#documents');
  const uploadForm = panel.locator('form[action="/api/upload_document"]');
  const upload = async (kind: string, name: string, mimeType: string, buffer: Buffer) => {
    await open(page, familyUrl, testInfo);
    await panel.getByText('Add a document').click();
    await uploadForm.getByLabel('Kind of document').selectOption({ label: kind });
    await uploadForm.getByLabel('Description (optional)').fill(name);
    await uploadForm.getByLabel('File or photo').setInputFiles({ name, mimeType, buffer });
    await uploadForm.getByRole('button', { name: 'Keep the document' }).click();
  };
  await upload('Identity document', 'tazkira.jpg', 'image/jpeg', photo);
  await expect(page).toHaveURL(new RegExp(`${familyUrl}(#documents)?$`));
  await expect(panel.locator('.document-item')).toHaveCount(1);
  await expect(panel.locator('.document-thumb img')).toBeVisible();
  expect(await panel.locator('.document-thumb img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await upload('Deportation or return paper', 'scan.pdf', 'application/pdf', png);
  await expect(uploadForm.getByText("The file's name does not match what it is")).toBeVisible();
  await expect(panel.locator('.document-item')).toHaveCount(1);

  await upload('Deportation or return paper', 'deportation-slip.pdf', 'application/pdf', pdf);
  await expect(panel.locator('.document-item')).toHaveCount(2);
  const paper = panel.locator('.document-item', { hasText: 'Deportation or return paper' });
  await expect(paper.locator('.document-icon')).toHaveText('PDF');

  // Shared with the referral: the partner opens it from the referral.
  await paper.getByText('Share or delete').click();
  await paper.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(panel.locator('.document-item', { hasText: 'Deportation or return paper' }).locator('.shared')).toContainText('Afghan Livelihoods Network');
  const context = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const partner = await context.newPage();
  await signIn(partner, testInfo, demo.partnerAF);
  await partner.getByRole('link', { name: caseNumber }).click();
  const shared = partner.getByRole('region', { name: 'Documents shared with you' });
  await expect(shared.getByRole('link')).toHaveCount(1);
  const download = partner.waitForEvent('download');
  await shared.getByRole('link', { name: 'Deportation or return paper' }).click().catch(() => {});
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^${caseNumber}-return_paper\\.pdf$`));
  await context.close();

  // Deleted with a reason (the reason is required).
  await open(page, familyUrl, testInfo);
  const item = panel.locator('.document-item', { hasText: 'Identity document' });
  await item.getByText('Share or delete').click();
  await item.getByRole('button', { name: 'Delete the document' }).click();
  await expect(page.getByText('This field is required.').first()).toBeVisible();
  // The form it was posted from comes back open, with the error beside the reason.
  const again = panel.locator('.document-item', { hasText: 'Identity document' });
  await expect(again.locator('details.document-actions')).toHaveAttribute('open', '');
  await again.getByLabel('Why delete it').selectOption({ label: 'It belongs to another family' });
  await again.getByRole('button', { name: 'Delete the document' }).click();
  await expect(panel.locator('.document-item')).toHaveCount(1);
  await expect(page.locator('.timeline')).toContainText('Document deleted');

  // The supervisor finds the paper on the family page and the case summary for the file.
  const supervisorContext = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const supervisor = await supervisorContext.newPage();
  await signIn(supervisor, testInfo, demo.supervisorAF);
  await expect(supervisor).toHaveURL('/cases');
  await open(supervisor, familyUrl, testInfo);
  const papers = supervisor.locator('#documents .document-item');
  await expect(papers).toHaveCount(1);
  await expect(papers).toContainText('Deportation or return paper');
  await expect(papers.locator('.shared')).toContainText('Afghan Livelihoods Network');
  await supervisor.getByRole('link', { name: 'Print a summary for the paper file' }).click();
  await expect(supervisor.locator('.print-title')).toHaveText('Case summary');
  await expect(supervisor.locator('.case-summary')).toContainText('Afghan Livelihoods Network');
  await supervisorContext.close();
});

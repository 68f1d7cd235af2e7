// The bytes a first visit to each main page puts on the wire, measured in Chromium against
// the release build (as served: brotli), checked against the budgets of issue 13; then a
// repeat visit to the case list, which must transfer the page's HTML and nothing else.
// Prints a table; exits 1 when a budget is exceeded.
//
//   node budget.mjs http://127.0.0.1:3200      (a server with the demo data: see budget.sh)

import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:3200';
const PASSWORD = 'homeward-demo-2026';
const KB = 1024;
const PAGE_BUDGET = 150 * KB;
const SIGN_IN_BUDGET = 60 * KB;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
});

/** A session cookie for `email`, signed in through the form (in a context that is then closed). */
async function sessionOf(email) {
  const context = await browser.newContext({ baseURL: base, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.fill('form[action="/api/sign_in"] input[name=email]', email);
  await page.fill('form[action="/api/sign_in"] input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.click('form[action="/api/sign_in"] button[type=submit]')]);
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

/** A context with an empty cache (a first-time visitor), signed in with `cookies`. */
async function freshContext(cookies) {
  const context = await browser.newContext({ baseURL: base });
  if (cookies) await context.addCookies(cookies);
  return context;
}

/** Visits `path` in `page` and sums what came over the network, by kind of file. */
async function visit(page, path) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  const requests = new Map();
  cdp.on('Network.responseReceived', (e) => {
    requests.set(e.requestId, {
      url: e.response.url,
      type: e.type,
      encoding: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? '',
      cached: e.response.fromDiskCache || e.response.fromPrefetchCache || false,
      bytes: 0,
    });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  await page.goto(path);
  // The island loader marks the page once it is done: nothing to load, or the islands run.
  await page.waitForSelector('body[data-islands]', { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  const sums = { html: 0, css: 0, js: 0, wasm: 0, other: 0, cached: 0, encodings: new Set() };
  for (const r of requests.values()) {
    if (r.cached) {
      sums.cached += 1;
      continue;
    }
    const kind = r.type === 'Document' ? 'html'
      : r.url.endsWith('.css') ? 'css'
      : r.url.endsWith('.js') ? 'js'
      : r.url.endsWith('.wasm') ? 'wasm'
      : 'other';
    sums[kind] += r.bytes;
    if (r.encoding) sums.encodings.add(r.encoding);
  }
  sums.total = sums.html + sums.css + sums.js + sums.wasm + sums.other;
  return sums;
}

const caseworker = await sessionOf('caseworker.af@demo.homeward.org');
const partner = await sessionOf('partner.af@demo.homeward.org');
const manager = await sessionOf('manager@demo.homeward.org');
const supervisor = await sessionOf('supervisor.af@demo.homeward.org');

// A family and its assessment form, from the caseworker's list.
const probe = await (await freshContext(caseworker)).newPage();
await probe.goto('/cases');
const family = await probe.locator('table.cases tbody tr a').first().getAttribute('href');
const another = await probe.locator('table.cases tbody tr').nth(1).locator('a').first().getAttribute('href');
await probe.context().close();

const pages = [
  ['sign-in', '/sign-in', null, SIGN_IN_BUDGET],
  ['case list', '/cases', caseworker, PAGE_BUDGET],
  ['family page', family, caseworker, PAGE_BUDGET],
  ['assessment form', `${family}/assess`, caseworker, PAGE_BUDGET],
  ['merge comparison', `/cases/merge?a=${family.split('/')[2]}&b=${another.split('/')[2]}`, supervisor, PAGE_BUDGET],
  ['partner inbox', '/referrals', partner, PAGE_BUDGET],
  ['referral by code (/r)', '/r', null, SIGN_IN_BUDGET],
  ['case summary (print)', `${family}/print`, caseworker, PAGE_BUDGET],
  ['programme overview', '/overview', manager, PAGE_BUDGET],
];

const rows = [];
let failed = false;
let repeat = null;
for (const [name, path, cookies, budget] of pages) {
  const context = await freshContext(cookies);
  const page = await context.newPage();
  const first = await visit(page, path);
  const over = first.total > budget;
  failed ||= over;
  rows.push({ name, ...first, budget, verdict: over ? 'OVER' : 'ok' });
  if (name === 'case list') {
    // The same visitor comes back: the compiled files come from the browser's cache.
    repeat = await visit(page, path);
    const onlyHtml = repeat.total === repeat.html && repeat.html > 0;
    failed ||= !onlyHtml;
    rows.push({ name: 'case list, repeat visit', ...repeat, budget: null, verdict: onlyHtml ? 'only HTML' : 'NOT ONLY HTML' });
  }
  await context.close();
}
await browser.close();

const kb = (n) => (n / KB).toFixed(1);
const header = ['page', 'HTML', 'CSS', 'JS', 'wasm', 'other', 'total KB', 'budget KB', 'from cache', 'encoding', ''];
const table = rows.map((r) => [
  r.name, kb(r.html), kb(r.css), kb(r.js), kb(r.wasm), kb(r.other), kb(r.total),
  r.budget ? kb(r.budget) : '-', String(r.cached), [...r.encodings].join(',') || '-', r.verdict,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
console.log('Bytes on the wire, first visit with an empty cache (KB = 1024 bytes, headers included):');
console.log(line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of table) console.log(line(row));
if (failed) {
  console.error('a page is over its budget, or the repeat visit downloaded more than the HTML');
  process.exit(1);
}

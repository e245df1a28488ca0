import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3201';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
async function as(email, opts) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  await page.goto(base + '/signin');
  await page.getByLabel(/e-?mail/i).fill(email);
  await page.getByLabel(/password/i).fill('countersign-demo');
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  return page;
}
const [who, ...targets] = process.argv.slice(2);
for (const [w, h, scheme] of [[1440, 900, 'light'], [390, 844, 'dark']]) {
  const page = await as(`${who}@acme-retail.example`, { viewport: { width: w, height: h }, colorScheme: scheme });
  if (process.env.ASK && w === 1440) {
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const r = await page.request.post(base + '/api/v1/people/mrossi/password', { headers: { 'x-csrf-token': csrf }, data: { password: 'a long enough passphrase here' } });
    console.log('ask', r.status());
  }
  for (const t of targets) {
    await page.goto(base + t);
    await page.waitForLoadState('networkidle');
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const name = t.replace(/[^a-z0-9]+/gi, '_');
    await page.screenshot({ path: `test-results/shots/${who}${name}-${w}-${scheme}.png`, fullPage: false });
    console.log(t, w, scheme, 'overflow', over);
  }
  await page.context().close();
}
await browser.close();

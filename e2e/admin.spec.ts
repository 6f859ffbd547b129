import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { baseURL, serverEnv } from './env';
import { screenshot, shopperEmail } from './support';

// The dashboard in a real browser against a production build: sign-in, a sale run from
// creation to its end while shoppers buy through the API, and the doors that stay shut.

async function signInAsAdmin(page: Page, password = serverEnv.ADMIN_PASSWORD) {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login\?next=%2Fadmin$/);
  await page.getByLabel('Admin password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A shopper of its own (own cookie jar), signed in through the API. */
async function newShopper(tag: string): Promise<APIRequestContext> {
  const shopper = await playwrightRequest.newContext({ baseURL });
  const res = await shopper.post('/api/session', { data: { email: shopperEmail(tag) } });
  expect(res.status()).toBe(200);
  return shopper;
}

async function buy(shopper: APIRequestContext, saleId: string): Promise<{ status: number; code?: string }> {
  const res = await shopper.post(`/api/sales/${saleId}/orders`, { data: { quantity: 1 } });
  const body = await res.json();
  return { status: res.status(), code: body.error?.code };
}

const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"]`);
const figureValue = async (page: Page, name: string) => Number((await figure(page, name).textContent())?.replace(/,/g, ''));

test('an admin signs in, creates a sale, runs it through a rush, pauses, resumes and ends it', async ({ page }) => {
  test.setTimeout(120_000);
  const name = `Rush Runner ${Date.now().toString(36)}`;

  await signInAsAdmin(page);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Sales' })).toBeVisible();

  // The create form checks with the API's own schema before sending anything.
  const form = page.getByRole('form', { name: 'New sale' });
  await form.getByRole('button', { name: 'Create sale' }).click();
  await expect(form.getByText('name is required')).toBeVisible();

  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Price').fill('89.00');
  await form.getByLabel('Stock').fill('60');
  await form.getByLabel('Max per shopper').fill('2');
  await form.getByRole('button', { name: 'Create sale' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Created “${name}”.`);

  const row = page.locator('tr[data-sale-id]', { hasText: name });
  await expect(row).toContainText('scheduled');
  const saleId = (await row.getAttribute('data-sale-id'))!;

  // Raise the stock from the table (lowering below booked is covered on the sale's page).
  await row.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('form', { name: 'Edit sale' });
  await edit.getByLabel(/^Stock/).fill('80');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(row.locator('td').nth(3)).toHaveText('80');

  await row.getByRole('button', { name: `Start now ${name}` }).click();
  await expect(row).toContainText('live');

  // The sale's live view, while shoppers buy through the API.
  await row.getByRole('link', { name }).click();
  await expect(page).toHaveURL(`/admin/sales/${saleId}`);
  await expect(page.getByTestId('sale-state')).toHaveText('live');
  await expect(figure(page, 'booked')).toHaveText('0');

  const BUYERS = 40;
  const shoppers = await Promise.all(Array.from({ length: BUYERS }, (_, i) => newShopper(`rush${i}`)));
  const seen = new Set<number>();
  const watching = (async () => {
    for (const deadline = Date.now() + 30_000; !seen.has(BUYERS) && Date.now() < deadline; ) {
      const booked = await figureValue(page, 'booked');
      if (Number.isFinite(booked)) seen.add(booked);
      await page.waitForTimeout(200);
    }
  })();
  const results: { status: number }[] = [];
  for (const [i, shopper] of shoppers.entries()) {
    results.push(await buy(shopper, saleId));
    await new Promise((r) => setTimeout(r, 80)); // a rush of a few seconds, so the view polls it several times
    if (i === BUYERS / 2) await screenshot(page, 'admin-sale-live-rush');
  }
  expect(results.every((r) => r.status === 202)).toBe(true);
  await watching;
  const values = [...seen].sort((a, b) => a - b);
  expect(values.length, `booked values seen: ${values.join(', ')}`).toBeGreaterThanOrEqual(3); // it rose while we watched
  await expect(figure(page, 'booked')).toHaveText(String(BUYERS));
  await expect(figure(page, 'remaining')).toHaveText(String(80 - BUYERS));
  await expect(figure(page, 'admitted')).toHaveText(String(BUYERS));
  await expect(page.getByRole('img', { name: /Queue depth/ })).toBeVisible();
  await screenshot(page, 'admin-sale-after-rush');

  // The worker stores every order: Redis and PostgreSQL agree.
  await expect(figure(page, 'confirmed')).toHaveText(String(BUYERS), { timeout: 20_000 });
  await expect(page.getByTestId('reconciliation')).toContainText('In balance');

  // Stock cannot go below what is booked.
  await page.getByRole('button', { name: 'Edit details' }).click();
  const details = page.getByRole('form', { name: 'Edit sale' });
  await details.getByLabel(/^Stock/).fill(String(BUYERS - 1));
  await details.getByRole('button', { name: 'Save changes' }).click();
  await expect(details.getByText(`Stock can be lowered only to what is already booked (${BUYERS})`)).toBeVisible();
  await details.getByRole('button', { name: 'Cancel' }).click();

  // Pause asks first; then purchases are refused with `paused`.
  await page.getByRole('button', { name: `Pause ${name}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Pause this sale?');
  await screenshot(page, 'admin-sale-pause-confirmation');
  await dialog.getByRole('button', { name: 'Pause sale' }).click();
  await expect(page.getByTestId('sale-state')).toHaveText('paused');
  const late = await newShopper('late');
  expect(await buy(late, saleId)).toEqual({ status: 409, code: 'paused' });

  await page.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(page.getByTestId('sale-state')).toHaveText('live');
  // A web process may remember "paused" for up to a second after the resume.
  await expect.poll(async () => (await buy(late, saleId)).status).toBe(202);
  await expect(figure(page, 'booked')).toHaveText(String(BUYERS + 1));

  await page.getByRole('button', { name: `End ${name}` }).click();
  await expect(dialog).toContainText('End this sale?');
  await dialog.getByRole('button', { name: 'End sale' }).click();
  await expect(page.getByTestId('sale-state')).toHaveText('ended');
  expect(await buy(await newShopper('too-late'), saleId)).toEqual({ status: 409, code: 'ended' });

  // Every action is in the audit log, done by the dashboard's session.
  const audit = page.getByRole('table', { name: 'Audit log' });
  await expect(audit.locator('tbody tr')).toHaveCount(6);
  await expect(audit.locator('tbody tr td:nth-child(3)')).toHaveText(['end', 'resume', 'pause', 'start', 'update', 'create']);
  await expect(audit.locator('tbody tr td:nth-child(2)')).toHaveText(Array(6).fill('admin-session'));
  await screenshot(page, 'admin-sale-ended');

  await page.goto('/admin');
  await expect(row).toContainText('ended');
  await screenshot(page, 'admin-dashboard');
  await Promise.all([...shoppers, late].map((s) => s.dispose()));
});

test('the dashboard table shows a rush as it happens', async ({ page }) => {
  const name = `Table Rush ${Date.now().toString(36)}`;
  await signInAsAdmin(page);
  await expect(page).toHaveURL(/\/admin$/);
  const form = page.getByRole('form', { name: 'New sale' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Price').fill('25.50');
  await form.getByLabel('Stock').fill('30');
  await form.getByRole('button', { name: 'Create sale' }).click();
  const row = page.locator('tr[data-sale-id]', { hasText: name });
  await row.getByRole('button', { name: `Start now ${name}` }).click();
  await expect(row).toContainText('live');
  const saleId = (await row.getAttribute('data-sale-id'))!;

  const shoppers = await Promise.all(Array.from({ length: 12 }, (_, i) => newShopper(`table${i}`)));
  for (const shopper of shoppers) expect((await buy(shopper, saleId)).status).toBe(202);
  await expect(row.locator('[data-figure="booked"]')).toHaveText('12');
  await screenshot(page, 'admin-dashboard-rush');
  await Promise.all(shoppers.map((s) => s.dispose()));
});

test('a wrong password shows an error and opens nothing', async ({ page }) => {
  await signInAsAdmin(page, 'not-the-admin-password');
  await expect(page.getByRole('form', { name: 'Admin sign-in' }).getByRole('alert')).toHaveText('Wrong password.');
  await expect(page).toHaveURL(/\/admin\/login/);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('fg_admin');
  await screenshot(page, 'admin-login-wrong-password');
});

test("a shopper's session cannot open the dashboard", async ({ page }) => {
  const res = await page.request.post('/api/session', { data: { email: shopperEmail('curious') } });
  expect(res.status()).toBe(200);
  expect((await page.context().cookies()).map((c) => c.name)).toContain('fg_session');

  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login/);
  await page.goto('/admin/sales/0000000000000000');
  await expect(page).toHaveURL(/\/admin\/login/);
  const api = await page.request.get('/api/admin/sales');
  expect(api.status()).toBe(401);
  expect((await api.json()).error.code).toBe('unauthorized');
});

test('signing out closes the dashboard again, and a kept copy of the cookie with it', async ({ page }) => {
  await signInAsAdmin(page);
  await expect(page).toHaveURL(/\/admin$/);
  const kept = (await page.context().cookies()).find((c) => c.name === 'fg_admin')!;
  // ("Sign out everywhere" is checked in app/api/admin/auth.db.test.ts: here it would end the
  // sessions of the tests running alongside.)
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login/);
  const replay = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { cookie: `fg_admin=${kept.value}` } });
  expect((await replay.get('/api/admin/sales')).status()).toBe(401);
  await replay.dispose();
});

test('a spoofed x-middleware-subrequest header skips nothing', async ({ request }) => {
  const headers = { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' };
  const api = await request.get('/api/admin/sales', { headers });
  expect(api.status()).toBe(401);
  const create = await request.post('/api/admin/sales', { headers, data: { name: 'Spoofed', priceCents: 1, stock: 1, startsAt: new Date().toISOString() } });
  expect(create.status()).toBe(401);
  const page = await request.get('/admin', { headers, maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers().location).toMatch(/^\/admin\/login/);
});

import { expect, test } from '@playwright/test';
import { buyButton, createSale, horizontalOverflow, outcome, screenshot, shopperEmail, signIn, updateSale } from './support';

test('the sale page is static HTML a CDN may keep, the same from one second to the next', async ({ request }) => {
  const sale = await createSale(request, { name: 'Static Runner' });
  const first = await request.get(`/sales/${sale.id}`);
  expect(first.status()).toBe(200);
  const cacheControl = first.headers()['cache-control'];
  expect(cacheControl).toMatch(/s-maxage=\d+/);
  expect(cacheControl).toMatch(/stale-while-revalidate=\d+/);
  const html = await first.text();
  expect(html).toContain('Static Runner');
  expect(html).not.toContain('serverTime');

  await new Promise((r) => setTimeout(r, 1_100));
  const second = await request.get(`/sales/${sale.id}`);
  expect(second.headers()['x-nextjs-cache']).toBe('HIT');
  expect(await second.text()).toBe(html);

  const status = await request.get(`/api/sales/${sale.id}`);
  expect(status.headers()['cache-control']).toContain('s-maxage=1');
});

test('an admin edit shows on the sale page and the home page at once', async ({ page, request }) => {
  const tag = Math.random().toString(36).slice(2, 7);
  const sale = await createSale(request, { name: `Before Edit ${tag}` });
  await page.goto('/');
  await expect(page.getByRole('link', { name: `Before Edit ${tag}` })).toBeVisible();
  await expect(page.locator('.card-badge').first()).toBeVisible();
  await screenshot(page, 'home');
  await page.goto(`/sales/${sale.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Before Edit ${tag}`);

  await updateSale(request, sale.id, { name: `After Edit ${tag}`, priceCents: 9_900 });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`After Edit ${tag}`);
  await expect(page.locator('.product-price')).toHaveText('$99.00');
  await page.goto('/');
  await expect(page.getByRole('link', { name: `Before Edit ${tag}` })).toHaveCount(0);
  await page.getByRole('link', { name: `After Edit ${tag}` }).click();
  await expect(page).toHaveURL(new RegExp(`/sales/${sale.id}$`));
});

test('pages run under their hash-based Content-Security-Policy: no script is refused, and an injected one would be', async ({ page, request }) => {
  const sale = await createSale(request, { name: 'Policy Runner' });
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(`${page.url()}: ${m.text()}`);
  });
  for (const path of ['/', `/sales/${sale.id}`, '/orders', '/admin/login']) {
    const res = await page.goto(path);
    expect(res?.headers()['content-security-policy'], path).toMatch(/script-src 'self' 'sha256-/);
    await page.waitForLoadState('networkidle');
  }
  // Client-side navigation still works (its scripts come from 'self').
  await page.goto('/');
  await page.getByRole('link', { name: 'Policy Runner' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/sales/${sale.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Policy Runner');
  expect(refused).toEqual([]);
  // The policy bites: an inline script the page did not ship is refused.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
});

test('a sale that does not exist is a 404 page', async ({ page }) => {
  const res = await page.goto('/sales/no-such-sale');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});

test('an API path nothing serves is the contract\'s JSON 404, and the real ones still answer', async ({ request }) => {
  for (const [method, path] of [['get', '/api/no-such-thing'], ['post', '/api/sales/x/orders/extra'], ['delete', '/api/me']] as const) {
    const res = await request[method](path);
    expect(res.status(), `${method} ${path}`).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found', message: expect.any(String) } });
  }
  expect((await request.get('/api/health')).status()).toBe(200);
  expect((await request.get('/api/admin/no-such-thing')).status()).toBe(401); // the admin's paths stay closed
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

  test('every page fits the width: no horizontal scrolling', async ({ page, request }) => {
    const sale = await createSale(request, { name: 'Extra Long Product Name Trail Runner Gore-Tex Edition', maxPerUser: 3 });
    await page.goto('/');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.goto(`/sales/${sale.id}`);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await signIn(page, shopperEmail('a-rather-long-email-address-for-a-phone'));
    await buyButton(page).tap();
    await expect(outcome(page)).toHaveAttribute('data-outcome', 'reserved');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-sale');

    await page.goto('/orders');
    await expect(page.locator('.order').first()).toBeVisible();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-orders');
  });
});

import { expect, test } from '@playwright/test';
import { buyButton, createSale, outcome, saleStats, shopperEmail, signIn } from './support';

const isPurchase = (saleId: string) => (url: URL | string) => new URL(url).pathname === `/api/sales/${saleId}/orders`;

test('sold out: a second shopper sees sold out and a disabled button', async ({ browser, page, request }) => {
  const sale = await createSale(request, { name: 'Last Pair Runner', stock: 1 });
  await page.goto(`/sales/${sale.id}`);
  await signIn(page, shopperEmail('first'));
  await buyButton(page).click();
  await expect(outcome(page)).toHaveAttribute('data-outcome', 'reserved');

  const second = await browser.newContext();
  const late = await second.newPage();
  await late.goto(`/sales/${sale.id}`);
  await signIn(late, shopperEmail('second'));
  await expect(late.locator('.badge').first()).toHaveText('Sold out');
  await expect(late.locator('.stock-text')).toHaveText('None left');
  await expect(buyButton(late)).toBeDisabled();
  await expect(buyButton(late)).toHaveText('Sold out');
  await second.close();
});

test('a double click sends exactly one purchase request', async ({ page, request }) => {
  const sale = await createSale(request, { stock: 10, maxPerUser: 3 });
  const purchases: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && isPurchase(sale.id)(req.url())) purchases.push(req.headers()['idempotency-key'] ?? '');
  });
  await page.goto(`/sales/${sale.id}`);
  await signIn(page, shopperEmail('double'));
  await expect(buyButton(page)).toBeEnabled();

  await buyButton(page).dblclick();
  await expect(outcome(page)).toHaveAttribute('data-outcome', 'reserved');
  await page.waitForTimeout(1_000); // time for a stray second request to show up
  expect(purchases).toHaveLength(1);
  expect(purchases[0]).toMatch(/^[0-9a-f]{32}$/);
  expect((await saleStats(request, sale.id)).booked).toBe(1);
});

test('a retry after a lost answer reuses the Idempotency-Key and reserves once', async ({ page, request }) => {
  const sale = await createSale(request, { stock: 10, maxPerUser: 3 });
  const keys: string[] = [];
  let firstOrderId = '';
  await page.route(isPurchase(sale.id), async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length === 1) {
      // The purchase reaches the shop, but its answer is lost on the way back.
      firstOrderId = (await (await route.fetch()).json()).orderId;
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.goto(`/sales/${sale.id}`);
  await signIn(page, shopperEmail('retry'));
  await buyButton(page).click();
  await expect(outcome(page)).toHaveAttribute('data-outcome', 'failed');
  await expect(outcome(page)).toContainText('Something went wrong');

  await outcome(page).getByRole('button', { name: 'Try again' }).click();
  await expect(outcome(page)).toHaveAttribute('data-outcome', 'reserved');
  expect(firstOrderId).not.toBe('');
  await expect(outcome(page)).toContainText(firstOrderId);
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect((await saleStats(request, sale.id)).booked).toBe(1);
});

test('refusals are told in plain words: limit reached, too many requests', async ({ page, request }) => {
  const sale = await createSale(request, { stock: 10, maxPerUser: 1 });
  await page.goto(`/sales/${sale.id}`);
  await signIn(page, shopperEmail('limit'));
  await buyButton(page).click();
  await expect(outcome(page)).toHaveAttribute('data-outcome', 'reserved');
  await expect(buyButton(page)).toBeDisabled(); // this page knows the limit is used up

  // A fresh page does not, and the shop refuses.
  await page.reload();
  await buyButton(page).click();
  await expect(outcome(page)).toHaveAttribute('data-outcome', 'limit_reached');
  await expect(outcome(page)).toContainText('Limit reached');

  // 429 (mocked: the limit is five a second per shopper): the wait is told, and the button waits too.
  await page.route(isPurchase(sale.id), (route) =>
    route.fulfill({
      status: 429,
      headers: { 'retry-after': '2', 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many attempts, slow down' } }),
    }),
  );
  await buyButton(page).click();
  await expect(outcome(page)).toContainText('Too many tries');
  await expect(outcome(page)).toContainText('Please wait 2 seconds, then try again.');
  await expect(buyButton(page)).toBeDisabled();
  await expect(buyButton(page)).toBeEnabled({ timeout: 4_000 });
});

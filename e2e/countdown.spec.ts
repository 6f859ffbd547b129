import { expect, test } from '@playwright/test';
import { adminCommand, buyButton, createSale, outcome, screenshot, shopperEmail, signIn } from './support';

const HOUR = 3_600_000;

/** Wait for a moment by the test machine's clock (the server's too: same machine). */
const until = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

test('the countdown reaches zero, the button opens without a reload, and a purchase is reserved then confirmed', async ({ page, request }) => {
  const sale = await createSale(request, { name: 'Countdown Runner', startsInMs: 8_000, stock: 5 });
  const startsAt = Date.parse(sale.startsAt);
  await page.goto(`/sales/${sale.id}`);
  // A reload would wipe this.
  await page.evaluate(() => Object.assign(window, { samePage: true }));
  const stillSamePage = () => page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage === true);

  await signIn(page, shopperEmail('countdown'));
  await expect(page.locator('.buying-as')).toBeFocused(); // the button cannot take focus yet
  await expect(page.getByRole('timer')).toHaveText(/^00:0\d$/);
  await expect(page.locator('.live p[aria-live="polite"]')).toHaveText('The sale opens in 10 seconds');
  await expect(buyButton(page)).toBeDisabled();
  await expect(buyButton(page)).toHaveText('Not open yet');

  // Looked at just before and just after zero (not polled: a poll's interval would blur the moment).
  await until(startsAt - 600);
  expect(await buyButton(page).isDisabled()).toBe(true);
  await until(startsAt + 1_000);
  expect(await buyButton(page).isEnabled()).toBe(true);
  await expect(buyButton(page)).toHaveText('Buy now');
  await expect(page.locator('.badge').first()).toHaveText('Live now');
  await expect(page.locator('.live p[aria-live="polite"]')).toHaveText('The sale is open');
  expect(await stillSamePage()).toBe(true);

  await buyButton(page).click();
  await expect(outcome(page)).toHaveAttribute('data-outcome', 'reserved');
  await expect(outcome(page)).toContainText('Reserved!');
  await expect(outcome(page)).toContainText(`Order number ${sale.id}.`);
  await expect(page.locator('.stock-text')).toHaveText('4 of 5 left');

  // Confirmed once the order worker has stored the order, still without a reload.
  await expect(page.locator('.order-progress')).toHaveAttribute('data-status', 'confirmed', { timeout: 20_000 });
  expect(await stillSamePage()).toBe(true);
  await page.getByRole('link', { name: 'See your orders' }).click();
  await expect(page.locator('.order').first()).toHaveAttribute('data-status', 'confirmed');
  await expect(page.locator('.order').first()).toContainText('Countdown Runner');
});

test('a shopper whose clock is an hour off still sees the right countdown', async ({ browser, request }) => {
  const sale = await createSale(request, { name: 'Skewed Clock Runner', startsInMs: 9_000 });
  const startsAt = Date.parse(sale.startsAt);
  const shoppers = await Promise.all(
    [HOUR, -HOUR].map(async (skew) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.clock.install({ time: Date.now() + skew });
      await page.goto(`/sales/${sale.id}`);
      return { skew, page, context };
    }),
  );

  for (const { skew, page } of shoppers) {
    // The browser's clock really is off ...
    const browserNow = await page.evaluate(() => Date.now());
    expect(Math.abs(browserNow - Date.now() - skew)).toBeLessThan(5_000);
    // ... and the countdown is not: it runs on the server's clock.
    const timer = page.getByRole('timer');
    await expect(timer).toHaveText(/^00:0\d$/);
    const shown = Number(await timer.getAttribute('data-ms'));
    expect(Math.abs(shown - (startsAt - Date.now()))).toBeLessThan(1_000);
    await expect(page.locator('.badge').first()).toHaveText('Coming soon');
  }
  // An hour fast would have opened already, an hour slow would open an hour late.
  await until(startsAt - 600);
  for (const { page } of shoppers) expect(await page.locator('.badge').first().textContent()).toBe('Coming soon');
  await until(startsAt + 1_000);
  for (const { page } of shoppers) expect(await page.locator('.badge').first().textContent()).toBe('Live now');
  for (const { context } of shoppers) await context.close();
});

test('screenshots of the sale page before, during and after the sale', async ({ page, request }) => {
  const sale = await createSale(request, { name: 'Aero Knit Runner', startsInMs: 6_000, stock: 40, maxPerUser: 2 });
  await page.goto(`/sales/${sale.id}`);
  await signIn(page, shopperEmail('shots'));
  await expect(page.getByRole('timer')).toBeVisible();
  await expect(page.locator('.product-image')).toHaveJSProperty('complete', true);
  await screenshot(page, 'sale-before');

  await expect(buyButton(page)).toBeEnabled({ timeout: 15_000 });
  await page.getByLabel('Quantity').selectOption('2');
  await buyButton(page).click();
  await expect(outcome(page)).toHaveAttribute('data-outcome', 'reserved');
  await expect(page.locator('.stock-text')).toHaveText('38 of 40 left');
  await screenshot(page, 'sale-during');

  await adminCommand(request, sale.id, 'end');
  await page.reload();
  await expect(page.locator('.badge').first()).toHaveText('Ended');
  await expect(buyButton(page)).toBeDisabled();
  await expect(buyButton(page)).toHaveText('Sale ended');
  await screenshot(page, 'sale-after');
});

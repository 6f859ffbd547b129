import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { ADMIN_TOKEN } from './env';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

export type Sale = { id: string; name: string; startsAt: string; endsAt: string | null; stock: number; maxPerUser: number };

type SaleOptions = {
  name?: string;
  stock?: number;
  maxPerUser?: number;
  priceCents?: number;
  /** from now; negative: already open */
  startsInMs?: number;
  endsInMs?: number;
};

/** A sale made through the admin API, as an operator would; it ends on its own after a while. */
export async function createSale(request: APIRequestContext, opts: SaleOptions = {}): Promise<Sale> {
  const now = Date.now();
  const res = await request.post('/api/admin/sales', {
    headers: admin,
    data: {
      name: opts.name ?? `Runner ${Math.random().toString(36).slice(2, 7)}`,
      description: 'Lightweight everyday running shoe with a cushioned sole and a breathable knit upper.',
      imageUrl: '/images/demo-sneaker.svg',
      priceCents: opts.priceCents ?? 12_900,
      stock: opts.stock ?? 10,
      maxPerUser: opts.maxPerUser ?? 1,
      startsAt: new Date(now + (opts.startsInMs ?? -1_000)).toISOString(),
      endsAt: new Date(now + (opts.endsInMs ?? 3 * 60_000)).toISOString(),
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as Sale;
}

export async function adminCommand(request: APIRequestContext, saleId: string, command: 'start' | 'pause' | 'resume' | 'end') {
  const res = await request.post(`/api/admin/sales/${saleId}/${command}`, { headers: admin });
  expect(res.status(), await res.text()).toBe(200);
}

export async function updateSale(request: APIRequestContext, saleId: string, data: Record<string, unknown>) {
  const res = await request.patch(`/api/admin/sales/${saleId}`, { headers: admin, data });
  expect(res.status(), await res.text()).toBe(200);
}

export async function saleStats(request: APIRequestContext, saleId: string): Promise<{ booked: number; confirmed: number }> {
  const res = await request.get(`/api/admin/sales/${saleId}/stats`, { headers: admin });
  expect(res.status()).toBe(200);
  return res.json();
}

export const shopperEmail = (tag: string) => `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

/** Sign in through the form a page shows to a signed-out shopper. */
export async function signIn(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email')).toHaveCount(0);
}

export const buyButton = (page: Page) => page.locator('.buy-button');
export const outcome = (page: Page) => page.locator('.outcome');

export async function screenshot(page: Page, name: string) {
  mkdirSync('e2e/output/screenshots', { recursive: true });
  await page.screenshot({ path: `e2e/output/screenshots/${name}.png`, fullPage: true });
}

/** The page's horizontal overflow in CSS pixels (0: no sideways scrolling). */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

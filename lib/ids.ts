// Ids of sales and orders, shared by every layer (URLs, Redis keys, the queue, PostgreSQL).
import { randomBytes, randomUUID } from 'node:crypto';

// Sale ids are short, lowercase and URL-safe; they become the Redis hash tag.
export const SALE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
// An order id carries its sale id, so a queued order can be found in its sale's slot.
export const ORDER_ID = /^([a-z0-9][a-z0-9-]{0,39})\.([A-Za-z0-9_-]{16,32})$/;

export function newSaleId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Time-ordered, unguessable (60 random bits), minted before the reservation so a resend is
 * recognisable. randomUUID draws from Node's pre-filled entropy cache: cheaper per call than
 * randomBytes on the hot path.
 */
export function newOrderId(saleId: string): string {
  return `${saleId}.${Date.now().toString(36).padStart(9, '0')}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

export function saleIdOfOrder(orderId: string): string | null {
  return ORDER_ID.exec(orderId)?.[1] ?? null;
}

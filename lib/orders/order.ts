import { z } from 'zod';
import { ORDER_ID } from '../ids';

/** A reservation as reserve-7.lua queues it for the worker (and keeps it for resends and lookups). */
export type QueuedOrder = {
  orderId: string;
  saleId: string;
  userId: string;
  quantity: number;
  /** ms since the epoch, by Redis's clock */
  reservedAt: number;
};

// What reserve-7.lua writes; anything else on a queue is not an order the worker can store.
const queuedOrderSchema = z.object({
  orderId: z.string().regex(ORDER_ID),
  saleId: z.string(),
  userId: z.string().min(1),
  quantity: z.number().int().positive(),
  reservedAt: z.number().int().nonnegative(),
});

/** An order as queued for `saleId`, or null when the entry is not one (malformed, another sale's). */
export function parseQueuedOrder(raw: string, saleId: string): QueuedOrder | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = queuedOrderSchema.safeParse(value);
  return parsed.success && parsed.data.saleId === saleId && parsed.data.orderId.startsWith(`${saleId}.`)
    ? parsed.data
    : null;
}

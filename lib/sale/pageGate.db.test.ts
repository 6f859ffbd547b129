import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '@/lib/db/client';
import { newSaleId } from '@/lib/ids';
import { saleExists } from '@/lib/sale/pageGate';
import { clearTestKeys, liveSale, saleRecord, storedSale } from '@/test/fixtures';
import { dropSaleRows } from '@/test/orders';

// The front gate's question for /sales/<id>: only real sales may reach rendering.
const made: string[] = [];

afterAll(async () => {
  await clearTestKeys();
  await dropSaleRows(...made);
});

describe('saleExists', () => {
  it('knows a sale stored in PostgreSQL, even one Redis no longer holds', async () => {
    const stored = await storedSale();
    const longOver = await prisma.sale.create({ data: saleRecord({ flag: 'ended' }) });
    made.push(stored.id, longOver.id);
    expect(await saleExists(stored.id)).toBe(true);
    expect(await saleExists(longOver.id)).toBe(true);
  });

  it('knows a sale made after its list of ids was read, from Redis', async () => {
    await saleExists('warm-up');
    const fresh = await liveSale(); // in Redis only, as the admin API loads a new sale at once
    expect(await saleExists(fresh.id)).toBe(true);
  });

  it('refuses invented ids and anything that is not an id', async () => {
    for (const id of [newSaleId(), 'FLUSHALL', '<script>', '', 'a'.repeat(41), 'demo.rsc']) {
      expect(await saleExists(id), id).toBe(false);
    }
  });
});

// npm run seed (also run by npm run setup): the demo sale, idempotently. A fresh install
// shows a shop at once: the demo opens a couple of minutes after seeding. Seeding again
// leaves a demo that is still ahead or live alone and reschedules one that is over.
import { disconnectPrisma, prisma } from '../lib/db/client';
import { readyRedis, redis } from '../lib/redis/client';
import { loadSaleIntoRedis } from '../lib/sale/load';

const DEMO_ID = 'demo';
const OPENS_IN_MS = 2 * 60_000;
const OPEN_FOR_MS = 60 * 60_000;
const DEMO_STOCK = 100;

async function seedDemoSale() {
  const now = Date.now();
  const window = { startsAt: new Date(now + OPENS_IN_MS), endsAt: new Date(now + OPENS_IN_MS + OPEN_FOR_MS) };
  const existing = await prisma.sale.findUnique({ where: { id: DEMO_ID } });
  const over = existing && (existing.flag === 'ended' || (existing.endsAt !== null && existing.endsAt.getTime() <= now));
  let sale = existing;
  if (!existing) {
    sale = await prisma.sale.create({
      data: {
        id: DEMO_ID,
        name: 'Aurora runner, limited edition',
        description:
          'A featherweight running shoe in a one-off colourway. 100 pairs, one per shopper, at launch price only.',
        imageUrl: '/images/demo-sneaker.svg',
        priceCents: 8_900,
        stock: DEMO_STOCK,
        maxPerUser: 1,
        flag: 'armed',
        ...window,
      },
    });
  } else if (over) {
    // Keep what was sold; put a fresh 100 on top of it.
    const sold = await prisma.order.aggregate({ where: { saleId: DEMO_ID }, _sum: { quantity: true } });
    sale = await prisma.sale.update({
      where: { id: DEMO_ID },
      data: { ...window, flag: 'armed', stock: (sold._sum.quantity ?? 0) + DEMO_STOCK },
    });
  }
  await loadSaleIntoRedis(sale!, { client: await readyRedis(5_000) });
  const verb = !existing ? 'created' : over ? 'rescheduled' : 'kept';
  console.log(`seed: demo sale ${verb}; opens ${sale!.startsAt.toISOString()} (/sales/${DEMO_ID})`);
}

try {
  await seedDemoSale();
} finally {
  await disconnectPrisma();
  redis.disconnect();
}

import { prisma } from './db/client';
import { readyRedis } from './redis/client';
import { withTimeout } from './timeout';

type Check = 'ok' | 'down';

// A dependency that does not answer within this time counts as down: health never hangs.
const TIMEOUT_MS = 1_000;

async function probe(fn: () => Promise<unknown>): Promise<Check> {
  try {
    await withTimeout(fn(), TIMEOUT_MS, () => new Error('timeout'));
    return 'ok';
  } catch {
    return 'down';
  }
}

export async function checkHealth() {
  const [redisCheck, database] = await Promise.all([
    probe(async () => (await readyRedis(TIMEOUT_MS)).ping()),
    probe(() => prisma.$queryRaw`SELECT 1`),
  ]);
  return { redis: redisCheck, database, healthy: redisCheck === 'ok' && database === 'ok' };
}

import { prisma } from './db/client';
import { redis } from './redis/client';

type Check = 'ok' | 'down';

// A dependency that does not answer within this time counts as down: health never hangs.
const TIMEOUT_MS = 1_000;

async function probe(fn: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS);
  });
  try {
    await Promise.race([fn(), timeout]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth() {
  const [redisCheck, database] = await Promise.all([
    probe(async () => {
      if (redis.status === 'wait') await redis.connect();
      return redis.ping();
    }),
    probe(() => prisma.$queryRaw`SELECT 1`),
  ]);
  return { redis: redisCheck, database, node: process.version, healthy: redisCheck === 'ok' && database === 'ok' };
}

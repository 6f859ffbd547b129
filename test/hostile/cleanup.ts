import { redis } from '@/lib/redis/client';

/**
 * Unlink every key under a run's own prefix (`<prefix>:…`): the suite's sales, the ones the
 * launcher's worker loaded from the test database, sign-in counters, cache tags. Never a
 * FLUSHDB: the Redis is shared.
 */
export async function dropPrefixKeys(prefix: string): Promise<number> {
  if (!/^[a-z0-9_-]+-hostile$/i.test(prefix)) throw new Error(`refusing to drop keys of prefix ${prefix}`);
  let cursor = '0';
  let dropped = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) dropped += await redis.unlink(...keys);
  } while (cursor !== '0');
  return dropped;
}

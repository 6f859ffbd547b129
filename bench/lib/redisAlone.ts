// The reserve script's own ceiling: EVALSHA from one ioredis client, `concurrency` calls in
// flight, auto-pipelined into shared writes. No HTTP, no Next.js.
import { redis } from '../../lib/redis/client';
import { reserveKeys, saleKeys } from '../../lib/redis/keys';
import { newOrderId } from '../../lib/ids';
import type { LoadResult } from './load';

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const round = (ms: number) => Math.round(ms * 100) / 100;

export async function reserveDirect(saleId: string, concurrency: number, seconds: number): Promise<LoadResult> {
  const keys = reserveKeys(saleKeys(saleId));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let user = 0;
  const tag = `direct-${concurrency}-${Date.now().toString(36)}`; // new shoppers for every run
  const started = performance.now();
  const until = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const [code] = await redis.reserve(...keys, saleId, `${tag}-${user++}`, 1, newOrderId(saleId), '');
      latencies.push(performance.now() - t0);
      const outcome = Number(code) === 1 ? 'reserved' : `code ${code}`;
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: Math.round(latencies.length / elapsed),
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? 0),
    statuses,
    errors: 0,
    answered: latencies.length,
    seconds: Math.round(elapsed * 10) / 10,
  };
}

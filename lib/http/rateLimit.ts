// A per-process token bucket per key (shopper): cheap, no Redis round trip on the hot path.
// With N web processes a shopper gets at most N times the rate, which is still a bound.
type Bucket = { tokens: number; at: number };

export function createRateLimiter(perSecond: number, burst = perSecond) {
  const buckets = new Map<string, Bucket>();
  return {
    /** 0 when allowed now, else the seconds to wait. */
    take(key: string): number {
      const now = performance.now();
      const b = buckets.get(key) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
      if (buckets.size > 100_000) buckets.clear(); // bounded memory under a storm of new users
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / perSecond);
    },
  };
}

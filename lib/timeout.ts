/** Settle with `promise`, or reject with `error()` after `ms`; the timer never outlives it. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `ms` spread at random by ±`spread` (0.25: ±25%), so processes started together drift apart. */
export const jitter = (ms: number, spread: number) => Math.round(ms * (1 - spread + Math.random() * 2 * spread));

// Load generation: autocannon runs with a distinct shopper's session cookie on every request.
import autocannon, { type Options } from 'autocannon';
import { SESSION_COOKIE, signSession } from '../../lib/auth/session';

/** Session cookies of many shoppers, signed as the server would (same SESSION_SECRET). */
export class Shoppers {
  private cookies: string[] = [];
  private next = 0;

  constructor(private readonly tag: string) {}

  async ensure(count: number): Promise<void> {
    while (this.cookies.length < count) {
      const from = this.cookies.length;
      const batch = Array.from({ length: Math.min(5_000, count - from) }, (_, i) => signSession(`${this.tag}-${from + i}`));
      for (const token of await Promise.all(batch)) this.cookies.push(`${SESSION_COOKIE}=${token}`);
    }
  }

  /** Start over: the next request is the first shopper's again (a new sale's per-user limit is fresh). */
  rewind(): void {
    this.next = 0;
  }

  cookie(): string {
    const c = this.cookies[this.next];
    this.next = (this.next + 1) % this.cookies.length;
    return c;
  }
}

export type Shot = {
  method?: 'GET' | 'POST';
  path: string;
  body?: string;
  /** A different shopper per request. */
  shoppers?: Shoppers;
  connections: number;
  /** Stop after this many answers (every request answered: exact reservation counts)... */
  amount?: number;
  /** ...or after this many seconds (a warm-up). */
  seconds?: number;
  /** A fixed arrival rate (requests/s over all connections) instead of as fast as possible. */
  rate?: number;
};

export type LoadResult = {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  /** connection errors and timeouts */
  errors: number;
  answered: number;
  seconds: number;
};

export const countOf = (r: LoadResult, status: number) => r.statuses[String(status)] ?? 0;

export async function fire(baseUrl: string, shot: Shot): Promise<LoadResult> {
  const headers: Record<string, string> = {};
  if (shot.body !== undefined) headers['content-type'] = 'application/json';
  const { shoppers } = shot;
  const opts: Options = {
    url: baseUrl,
    connections: shot.connections,
    timeout: 10,
    requests: [
      {
        method: shot.method ?? 'POST',
        path: shot.path,
        headers,
        body: shot.body,
        ...(shoppers && {
          setupRequest: (req) => {
            req.headers = { ...req.headers, cookie: shoppers.cookie() };
            return req;
          },
        }),
      },
    ],
  };
  if (shot.amount) opts.amount = shot.amount;
  else opts.duration = shot.seconds ?? 5;
  if (shot.rate) opts.overallRate = shot.rate;

  // autocannon notices the end only at its next sample tick: sample often, and time the run
  // from its start to its last answer.
  opts.sampleInt = 50;
  const started = performance.now();
  let lastAnswer = started;
  const run = autocannon(opts);
  run.on('response', () => {
    lastAnswer = performance.now();
  });
  const r = await run;
  const seconds = (lastAnswer - started) / 1000;
  const statuses: Record<string, number> = {};
  let answered = 0;
  for (const [status, { count }] of Object.entries(r.statusCodeStats ?? {})) {
    statuses[status] = Number(count);
    answered += Number(count);
  }
  return {
    rps: Math.round(answered / seconds),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    statuses,
    errors: r.errors,
    answered,
    seconds: Math.round(seconds * 10) / 10,
  };
}

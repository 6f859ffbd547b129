// npm run bench:rush: the opening second through HTTP. N distinct shoppers (default 2,000)
// each send one purchase at once for a sale of S units (default 100) on a running server
// (BASE_URL, default http://127.0.0.1:3000; secrets from .env like the server's).
// Prints requests/s, p50/p99 latency, status counts, and checks reservations == stock.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { env } from '../lib/config';
import { SESSION_COOKIE, signSession } from '../lib/auth/session';

const { values } = parseArgs({
  options: {
    buyers: { type: 'string', default: '2000' },
    stock: { type: 'string', default: '100' },
    url: { type: 'string', default: process.env.BASE_URL ?? 'http://127.0.0.1:3000' },
  },
});
const buyers = Number(values.buyers);
const stock = Number(values.stock);
const base = values.url;

// node:http rather than fetch: the load generator shares the two cores with the server, and
// fetch costs it several times more CPU per request.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function post(url: string, cookie: string): Promise<number> {
  const body = '{"quantity":1}';
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { cookie, 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

export async function runRush() {
  const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const created = await fetch(`${base}/api/admin/sales`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name: 'Rush bench', priceCents: 100, stock, startsAt: new Date().toISOString() }),
  });
  if (created.status !== 201) throw new Error(`creating the sale: ${created.status} ${await created.text()}`);
  const sale = (await created.json()) as { id: string };
  const cookies = await Promise.all(
    Array.from({ length: buyers }, async (_, i) => `${SESSION_COOKIE}=${await signSession(`rush-${sale.id}-${i}`)}`),
  );

  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  await Promise.all(
    cookies.map(async (cookie) => {
      const t0 = performance.now();
      const status = await post(`${base}/api/sales/${sale.id}/orders`, cookie);
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]);

  const stats = (await (await fetch(`${base}/api/admin/sales/${sale.id}/stats`, { headers: admin })).json()) as {
    booked: number;
  };
  const result = {
    buyers,
    stock,
    seconds: Math.round(elapsed) / 1000,
    requestsPerSecond: Math.round((buyers / elapsed) * 1000),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: Math.round(latencies[latencies.length - 1]),
    statuses,
    booked: stats.booked,
    exact: statuses[202] === Math.min(stock, buyers) && stats.booked === Math.min(stock, buyers),
  };
  await fetch(`${base}/api/admin/sales/${sale.id}/end`, { method: 'POST', headers: admin });
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runRush();
  console.table([result]);
  console.log(JSON.stringify(result));
  process.exit(result.exact ? 0 : 1);
}

import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';

// A `.env` at the root is read by every process (Next reads it for the web app itself,
// the worker and scripts need it too); real environment variables win.
function readDotEnv(): Record<string, string> {
  const file = `${process.cwd()}/.env`;
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

const DEV_SECRET = 'dev-only-secret-not-for-production-use';

// In production a missing or weak secret stops start-up; elsewhere a fixed dev value is used.
// `next build` (NEXT_PHASE) needs none: an image is built without the secrets it runs with,
// and the server checks them when it starts (instrumentation-node.ts).
const secret = (name: string, required: boolean) =>
  required
    ? z.string({ error: `${name} is required in production` }).min(32, `${name} must be at least 32 characters`)
    : z.string().min(1).default(DEV_SECRET);

// A comma-separated list in one variable, each entry checked by `item`; empty means none.
const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item));
const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'each entry must be host:port');

const schemaFor = (secretsRequired: boolean) => z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('fg'),
  // Which Redis (docs/topologies.md): single = REDIS_URL; split = REDIS_URL is the primary and
  // the gate's reads go to REDIS_REPLICA_URLS; cluster = REDIS_CLUSTER_NODES; sentinel =
  // REDIS_SENTINELS watching REDIS_SENTINEL_NAME. In cluster and sentinel, REDIS_URL's
  // username and password (if any) are the data nodes' credentials; its host is not used.
  REDIS_TOPOLOGY: z.enum(['single', 'split', 'cluster', 'sentinel']).default('single'),
  REDIS_REPLICA_URLS: list(z.string().url('each entry must be a redis:// URL')),
  REDIS_CLUSTER_NODES: list(hostPort),
  REDIS_SENTINELS: list(hostPort),
  REDIS_SENTINEL_NAME: z.string().min(1).default('flashgate'),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  // Ask a replica whether the sale refuses everyone before running the reserve script on the
  // primary; auto = when the topology has replicas (split, cluster, sentinel).
  REDIS_GATE_PRECHECK: z.enum(['auto', 'on', 'off']).default('auto'),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/flashgate'),
  SESSION_SECRET: secret('SESSION_SECRET', secretsRequired),
  ADMIN_TOKEN: secret('ADMIN_TOKEN', secretsRequired),
  ADMIN_PASSWORD: secret('ADMIN_PASSWORD', secretsRequired),
  PORT: z.coerce.number().int().positive().default(3000),
  // Where the shop is served from; browsers' Origin must match it (CSRF). Empty: same host as the request.
  APP_ORIGIN: z.string().url().optional(),
  // Reverse proxies in front that append to X-Forwarded-For (read by scripts/client-address.mjs
  // for the web process, same meaning). 0: clients connect directly, so X-Forwarded-* headers
  // are theirs and are not believed.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Purchases one shopper may attempt per second in one web process before 429.
  PURCHASE_RATE_PER_SECOND: z.coerce.number().positive().default(5),
  // The order worker (docs/worker.md). Orders stored per PostgreSQL insert.
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(1_000),
  // A worker silent this long is presumed dead and its orders in hand are requeued.
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(300).default(10_000),
  // How often each worker loads every current sale from PostgreSQL into Redis (randomised
  // by +-25%); 0 turns the periodic sync off.
  WORKER_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
  // Tests only (ignored in production): a pause between storing a batch and acknowledging
  // it, so a test can kill a worker mid-batch.
  WORKER_BATCH_DELAY_MS: z.coerce.number().int().min(0).default(0),
  // Replicas that must hold a batch before the worker stores it in PostgreSQL (WAIT), so a
  // failover cannot forget a reservation PostgreSQL already confirmed. Default: 1 with a
  // topology that has replicas, 0 on one Redis.
  WORKER_WAIT_REPLICAS: z.coerce.number().int().min(0).optional(),
  // 1 turns on /api/bench/* (the benchmark's floor and naive-PostgreSQL routes); off they are 404.
  ENABLE_BENCH_ROUTES: z.enum(['0', '1']).default('0'),
}).superRefine((v, ctx) => {
  // A topology without its own setting stops start-up, not the first purchase.
  const needs = { split: 'REDIS_REPLICA_URLS', cluster: 'REDIS_CLUSTER_NODES', sentinel: 'REDIS_SENTINELS' } as const;
  const name = v.REDIS_TOPOLOGY === 'single' ? null : needs[v.REDIS_TOPOLOGY];
  if (name && v[name].length === 0) {
    ctx.addIssue({ code: 'custom', path: [name], message: `is required with REDIS_TOPOLOGY=${v.REDIS_TOPOLOGY} (a comma-separated list)` });
  }
});

export type Env = z.infer<ReturnType<typeof schemaFor>>;

/**
 * Parse a configuration (by default: .env, then the real environment); throws naming every
 * problem. A variable set to the empty string counts as unset (`APP_ORIGIN=` in a .env or a
 * compose file means "not set", as its comment says, not an invalid URL).
 */
export function loadEnv(source: Record<string, string | undefined> = { ...readDotEnv(), ...process.env }): Env {
  const values = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const secretsRequired = values.NODE_ENV === 'production' && values.NEXT_PHASE !== 'phase-production-build';
  const parsed = schemaFor(secretsRequired).safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

export const env: Env = loadEnv();

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
const production = process.env.NODE_ENV === 'production';

// In production a missing or weak secret stops start-up; elsewhere a fixed dev value is used.
const secret = (name: string) =>
  production
    ? z.string({ error: `${name} is required in production` }).min(32, `${name} must be at least 32 characters`)
    : z.string().min(1).default(DEV_SECRET);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('fg'),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/flashgate'),
  SESSION_SECRET: secret('SESSION_SECRET'),
  ADMIN_TOKEN: secret('ADMIN_TOKEN'),
  ADMIN_PASSWORD: secret('ADMIN_PASSWORD'),
  PORT: z.coerce.number().int().positive().default(3000),
  // Where the shop is served from; browsers' Origin must match it (CSRF). Empty: same host as the request.
  APP_ORIGIN: z.string().url().optional(),
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
  // 1 turns on /api/bench/* (the benchmark's floor and naive-PostgreSQL routes); off they are 404.
  ENABLE_BENCH_ROUTES: z.enum(['0', '1']).default('0'),
});

export type Env = z.infer<typeof schema>;

function loadEnv(): Env {
  const parsed = schema.safeParse({ ...readDotEnv(), ...process.env });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

export const env: Env = loadEnv();

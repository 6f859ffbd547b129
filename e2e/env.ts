// The e2e suite's own server environment: a database, a Redis prefix and a port of this run's
// own (a developer's shop and a second run are left alone; e2e/global-teardown.ts removes
// them), fixed secrets (the server runs with NODE_ENV=production, which wants 32+ characters).
// E2E_PORT, E2E_DATABASE_URL, E2E_REDIS_URL and E2E_REDIS_PREFIX name fixed ones instead (a
// database named so is never dropped).
//
// Playwright evaluates its config, and so this module, in the runner and again in every
// worker: the run's values are chosen once, by the runner, and kept in process.env, which the
// workers and the web server inherit, so every process agrees on them.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

type E2eRun = { port: number; databaseUrl: string; redisUrl: string; redisPrefix: string; ownDatabase: boolean };

/** A port free right now: asked of the OS by a child, since this module must stay synchronous. */
function freePortSync(): number {
  const probe = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  const port = Number(r.stdout.trim());
  if (r.status !== 0 || !Number.isInteger(port) || port <= 0) throw new Error(`e2e: could not find a free port: ${r.stderr}`);
  return port;
}

function chooseRun(): E2eRun {
  const id = randomBytes(4).toString('hex');
  return {
    port: process.env.E2E_PORT ? Number(process.env.E2E_PORT) : freePortSync(),
    databaseUrl: process.env.E2E_DATABASE_URL || `postgresql://postgres@127.0.0.1:5432/flashgate_e2e_${id}`,
    redisUrl: process.env.E2E_REDIS_URL || 'redis://127.0.0.1:6379',
    redisPrefix: process.env.E2E_REDIS_PREFIX || `fge2e${id}`,
    ownDatabase: !process.env.E2E_DATABASE_URL,
  };
}

process.env.FLASHGATE_E2E_RUN ??= JSON.stringify(chooseRun());
export const run: E2eRun = JSON.parse(process.env.FLASHGATE_E2E_RUN);

export const E2E_PORT = run.port;
export const baseURL = `http://127.0.0.1:${E2E_PORT}`;

export const ADMIN_TOKEN = 'e2e-admin-token-not-a-secret-0123456789';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The suite creates and buys out sales: never against anything but a local database and Redis. */
export function assertLocal(url: string, what: string): void {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`e2e: refusing to run against ${what} on ${host}; the suite needs a local one (E2E_DATABASE_URL / E2E_REDIS_URL)`);
  }
}
assertLocal(run.databaseUrl, 'the database');
assertLocal(run.redisUrl, 'Redis');
if (run.redisPrefix === (process.env.REDIS_PREFIX ?? 'fg')) {
  // The run deletes every key of its prefix at the end.
  throw new Error(`e2e: E2E_REDIS_PREFIX=${run.redisPrefix} is the shop's own prefix; the suite needs one nothing else uses`);
}

export const serverEnv = {
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  PORT: String(E2E_PORT),
  HOSTNAME: '127.0.0.1',
  // One web process: on-demand revalidation then reaches the process that serves the pages.
  WEB_CONCURRENCY: '1',
  DATABASE_URL: run.databaseUrl,
  REDIS_URL: run.redisUrl,
  REDIS_PREFIX: run.redisPrefix,
  ADMIN_TOKEN,
  SESSION_SECRET: 'e2e-session-secret-not-a-secret-0123456789',
  ADMIN_PASSWORD: 'e2e-admin-password-not-a-secret-012345678',
  // Each test signs in its own shoppers, so the default limit (5/s per shopper) is never in the way.
  PURCHASE_RATE_PER_SECOND: '5',
};

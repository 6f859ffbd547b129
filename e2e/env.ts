// The e2e suite's own server environment: its own database and Redis prefix (a developer's
// shop is left alone), fixed secrets (the server runs with NODE_ENV=production, which wants
// 32+ characters), and its own port.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${E2E_PORT}`;

export const ADMIN_TOKEN = 'e2e-admin-token-not-a-secret-0123456789';

const DATABASE_URL = process.env.E2E_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flashgate_e2e';
const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The suite creates and buys out sales: never against anything but a local database and Redis. */
export function assertLocal(url: string, what: string): void {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`e2e: refusing to run against ${what} on ${host}; the suite needs a local one (E2E_DATABASE_URL / E2E_REDIS_URL)`);
  }
}
assertLocal(DATABASE_URL, 'the database');
assertLocal(REDIS_URL, 'Redis');

export const serverEnv = {
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  PORT: String(E2E_PORT),
  HOSTNAME: '127.0.0.1',
  // One web process: on-demand revalidation then reaches the process that serves the pages.
  WEB_CONCURRENCY: '1',
  DATABASE_URL,
  REDIS_URL,
  REDIS_PREFIX: 'fge2e',
  ADMIN_TOKEN,
  SESSION_SECRET: 'e2e-session-secret-not-a-secret-0123456789',
  ADMIN_PASSWORD: 'e2e-admin-password-not-a-secret-012345678',
  // Each test signs in its own shoppers, so the default limit (5/s per shopper) is never in the way.
  PURCHASE_RATE_PER_SECOND: '5',
};

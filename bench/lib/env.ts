// Imported first by the bench: lib/config.ts reads the environment once, when first imported.
// The bench runs on its own Redis prefix and its own database (flashgate_bench beside the
// configured one), with fresh secrets that it passes to the servers it starts, so it never
// touches a developer's shop data and signs session cookies exactly as its server checks them.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

const dotenv: Record<string, string | undefined> = existsSync('.env') ? parseEnv(readFileSync('.env', 'utf8')) : {};
const setting = (name: string, fallback: string) => process.env[name] ?? dotenv[name] ?? fallback;

const database = new URL(setting('DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/flashgate'));
database.pathname = `/${process.env.BENCH_DATABASE ?? 'flashgate_bench'}`;
const secret = () => randomBytes(32).toString('base64url');

/** The environment of every server the bench starts (and of the bench itself). */
export const benchEnv: Record<string, string> = {
  REDIS_URL: setting('REDIS_URL', 'redis://127.0.0.1:6379'),
  REDIS_PREFIX: 'fgbench',
  DATABASE_URL: database.toString(),
  SESSION_SECRET: secret(),
  ADMIN_TOKEN: secret(),
  ADMIN_PASSWORD: secret(),
  ENABLE_BENCH_ROUTES: '1',
  NEXT_TELEMETRY_DISABLED: '1',
};
Object.assign(process.env, benchEnv);

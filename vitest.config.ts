import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests talk to the real Redis and PostgreSQL. Each run has a database and a key prefix of its
// own (a developer's shop and a second run on the same servers are left alone), created by
// test/globalSetup.ts and removed by it at the end. TEST_DATABASE_URL and TEST_REDIS_PREFIX
// name fixed ones instead (that database is migrated but never dropped). The values are chosen
// here, in the main process: test/globalSetup.ts reads them from the resolved config and the
// workers get them through `env`, so all agree. Files share the run's database and prefix, so
// they run one at a time.
const run = randomBytes(4).toString('hex');
const redisPrefix = process.env.TEST_REDIS_PREFIX || `fgt${run}`;
const shopPrefix = process.env.REDIS_PREFIX ?? 'fg';
if (redisPrefix === shopPrefix) {
  // The run deletes every key of its prefix at the end.
  throw new Error(`TEST_REDIS_PREFIX=${redisPrefix} is the shop's own prefix; the tests need one nothing else uses`);
}

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**', 'e2e/**'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['./test/globalSetup.ts'],
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: process.env.TEST_DATABASE_URL || `postgresql://postgres@127.0.0.1:5432/flashgate_test_${run}`,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: redisPrefix,
    },
  },
});

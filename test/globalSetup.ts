import { applyMigrations } from '../lib/db/migrate';

// The test database gets the same committed migrations as production.
export default async function setup() {
  await applyMigrations({
    connectionString: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flashgate_test',
    migrationsDir: 'prisma/migrations',
    log: () => {},
  });
}

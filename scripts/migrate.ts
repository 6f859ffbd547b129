// npm run db:migrate: applies prisma/migrations to DATABASE_URL (see docs/migrations.md).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, MigrationError } from '../lib/db/migrate';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env')); // real env wins

const connectionString =
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flashgate';

try {
  const { applied } = await applyMigrations({
    connectionString,
    migrationsDir: path.join(root, 'prisma/migrations'),
    log: (line) => console.log(`migrate: ${line}`),
  });
  console.log(
    applied.length > 0
      ? `migrate: applied ${applied.length} migration(s)`
      : 'migrate: database is up to date',
  );
} catch (error) {
  if (error instanceof MigrationError) {
    console.error(`migrate: ${error.message}`);
  } else {
    console.error('migrate: could not apply migrations:', error);
  }
  process.exitCode = 1;
}

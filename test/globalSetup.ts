import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../lib/db/migrate';
import { dropDatabase, removePrefixKeys } from './services';

// The run's database (vitest.config.ts) gets the same committed migrations as production.
// At the end everything the run left is removed: the keys of its prefix (and of the prefixes
// files derive from it) and, unless TEST_DATABASE_URL named it, the database.
//
// A run that is killed (Ctrl-C, a timeout) never reaches its teardown. So each run holds a
// PostgreSQL advisory lock named by its id for as long as its process lives, and a later run
// removes the database and keys of any run whose lock is free and whose database nobody uses.

const RUN_DATABASE = /^flashgate_test_([0-9a-f]{8})$/;
const RUN_LOCK_CLASS = 0x46477454; // the advisory lock's first key: "FGtT"
const runLock = (id: string) => [RUN_LOCK_CLASS, Number.parseInt(id, 16) | 0];

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** Remove what killed runs left: their lock is free (the process is gone) and nothing is connected. */
async function removeAbandonedRuns(admin: pg.Client, databaseUrl: string, redisUrl: string, ownId: string) {
  const { rows } = await admin.query<{ datname: string; connections: number }>(
    `SELECT d.datname, (SELECT count(*)::int FROM pg_stat_activity a WHERE a.datname = d.datname) AS connections
       FROM pg_database d WHERE d.datname ~ '^flashgate_test_[0-9a-f]{8}$'`,
  );
  for (const { datname, connections } of rows) {
    const id = RUN_DATABASE.exec(datname)![1];
    if (id === ownId || connections > 0) continue;
    const { rows: [lock] } = await admin.query<{ free: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS free', runLock(id));
    if (!lock.free) continue; // its run is alive
    try {
      await removePrefixKeys(redisUrl, `fgt${id}`);
      await dropDatabase(withDatabase(databaseUrl, datname));
      console.log(`test run: removed ${datname} and keys fgt${id}:*, left by a run that did not finish`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1, $2)', runLock(id));
    }
  }
}

export default async function setup(project: TestProject) {
  const { DATABASE_URL, REDIS_URL, REDIS_PREFIX } = project.config.env as Record<string, string>;
  const ownDatabase = !process.env.TEST_DATABASE_URL;
  const runId = ownDatabase ? RUN_DATABASE.exec(new URL(DATABASE_URL).pathname.slice(1))?.[1] : undefined;
  let admin: pg.Client | null = null;

  async function teardown() {
    const problems: string[] = [];
    await removePrefixKeys(REDIS_URL, REDIS_PREFIX).catch((e) => problems.push(`keys ${REDIS_PREFIX}:*: ${e}`));
    if (ownDatabase) await dropDatabase(DATABASE_URL).catch((e) => problems.push(`database: ${e}`));
    await admin?.end().catch(() => {}); // releases the run's lock
    if (problems.length > 0) throw new Error(`test run cleanup failed (remove by hand): ${problems.join('; ')}`);
  }

  console.log(`test run: database ${new URL(DATABASE_URL).pathname.slice(1)}${ownDatabase ? '' : ' (TEST_DATABASE_URL, kept)'}, key prefix ${REDIS_PREFIX}`);
  try {
    if (runId) {
      // Taken before the database exists, so no other run ever sees it unlocked.
      admin = new pg.Client({ connectionString: withDatabase(DATABASE_URL, 'postgres') });
      admin.on('error', () => {}); // a lost lock connection only weakens the sweep of later runs
      await admin.connect();
      await admin.query('SELECT pg_advisory_lock($1, $2)', runLock(runId));
      await removeAbandonedRuns(admin, DATABASE_URL, REDIS_URL, runId).catch((e) =>
        console.warn(`test run: could not remove what earlier runs left: ${e}`),
      );
    }
    await applyMigrations({ connectionString: DATABASE_URL, migrationsDir: 'prisma/migrations', log: () => {} });
  } catch (error) {
    await teardown().catch(() => {}); // the first error is the one to show
    throw error;
  }
  return teardown;
}

import { dropDatabase, removePrefixKeys } from '../test/services';
import { run } from './env';

// Removes what the run left on the shared servers: every key of its Redis prefix and, unless
// E2E_DATABASE_URL named it, its database. Playwright calls this before it stops the web
// server (plugins are torn down last), so the database is dropped WITH (FORCE), ending the
// server's connections; the order worker deletes its own heartbeat key when it stops.
export default async function globalTeardown() {
  const problems: string[] = [];
  await removePrefixKeys(run.redisUrl, run.redisPrefix).catch((e) => problems.push(`keys ${run.redisPrefix}:*: ${e}`));
  if (run.ownDatabase) await dropDatabase(run.databaseUrl).catch((e) => problems.push(`database: ${e}`));
  if (problems.length > 0) throw new Error(`e2e: cleanup failed (remove by hand): ${problems.join('; ')}`);
}

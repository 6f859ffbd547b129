import { applyMigrations } from '../lib/db/migrate';
import { assertLocal, baseURL, serverEnv } from './env';

// Runs after Playwright has started the web server (its readiness check needs no database),
// before any test: the e2e database gets the committed migrations, then the server must be
// healthy, or the run stops here with the reason.
export default async function globalSetup() {
  assertLocal(serverEnv.DATABASE_URL, 'the database');
  await applyMigrations({ connectionString: serverEnv.DATABASE_URL, migrationsDir: 'prisma/migrations' });
  let last = '';
  for (let i = 0; i < 40; i++) {
    try {
      const res = await fetch(`${baseURL}/api/health`);
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`e2e: the server at ${baseURL} is not healthy: ${last}`);
}

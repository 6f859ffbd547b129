import { applyMigrations } from '../lib/db/migrate';
import { ADMIN_TOKEN, assertLocal, baseURL, serverEnv } from './env';

// Runs after Playwright has started the web server (its readiness check needs no database),
// before any test: the run's database (e2e/env.ts; created here) gets the committed
// migrations, then the server must be healthy, or the run stops here with the reason. Sales
// left open by earlier runs (a database named by E2E_DATABASE_URL) are ended through the admin
// API, as an operator would, so the home page shows this run's. e2e/global-teardown.ts
// removes the database and the keys again.
export default async function globalSetup() {
  assertLocal(serverEnv.DATABASE_URL, 'the database');
  await applyMigrations({ connectionString: serverEnv.DATABASE_URL, migrationsDir: 'prisma/migrations' });
  await waitUntilHealthy();
  await endEarlierSales();
}

async function endEarlierSales() {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const res = await fetch(`${baseURL}/api/admin/sales`, { headers });
  if (!res.ok) throw new Error(`e2e: listing sales failed: ${res.status} ${await res.text()}`);
  const sales = (await res.json()) as { id: string; state: string }[];
  await Promise.all(
    sales
      .filter((s) => s.state !== 'ended')
      .map((s) => fetch(`${baseURL}/api/admin/sales/${s.id}/end`, { method: 'POST', headers })),
  );
}

async function waitUntilHealthy() {
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

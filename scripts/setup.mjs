// npm run setup: idempotent first-run preparation. Plain Node ESM: it runs before `npm ci`
// may have happened and before the Prisma client exists.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const envFile = path.join(root, '.env');
const step = (line) => console.log(`setup: ${line}`);
function fail(message) {
  console.error(`setup: ${message}`);
  process.exit(1);
}

// Children find tsx, prisma and the pinned Node 24 even when this runs as `node scripts/setup.mjs`.
const childEnv = () => ({
  ...process.env,
  PATH: `${path.join(root, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
});
function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: childEnv() });
  if (r.status !== 0) fail(`${what} failed (${[cmd, ...args].join(' ')})`);
}

// (a) dependencies
if (existsSync(path.join(root, 'node_modules/.package-lock.json'))) {
  step('dependencies: installed');
} else {
  step('dependencies: running npm ci');
  run('npm', ['ci'], 'npm ci');
}

// .env fills in what the real environment lacks, for the checks below and every child.
const realEnv = { ...process.env };
// Given here, they are written to .env below: checked first, as the app will check them.
if (realEnv.REDIS_PREFIX && !/^[a-z0-9_-]+$/i.test(realEnv.REDIS_PREFIX)) fail(`REDIS_PREFIX=${realEnv.REDIS_PREFIX}: letters, digits, _ and - only`);
if (realEnv.PORT && !(/^\d+$/.test(realEnv.PORT) && Number(realEnv.PORT) >= 1 && Number(realEnv.PORT) <= 65535)) fail(`PORT=${realEnv.PORT} is not a port number`);
const dotenv = () => (existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {});
for (const [k, v] of Object.entries(dotenv())) process.env[k] ??= v;
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/flashgate';

const redisUrl = new URL(process.env.REDIS_URL);
const dbUrl = new URL(process.env.DATABASE_URL);
const isLocal = (u) => ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
const shown = (u) => {
  const c = new URL(u);
  if (c.password) c.password = '***';
  return c.toString();
};
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function checkRedis() {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl.toString(), {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError;
  redis.on('error', (e) => (lastError = e));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (e) {
    return lastError ?? e;
  } finally {
    redis.disconnect();
  }
}

async function checkPostgres() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: dbUrl.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return null;
  } catch (e) {
    return e.code === '3D000' ? null : e; // server is up; migrate creates the database
  } finally {
    await client.end().catch(() => {});
  }
}

const refused = (e) => ['ECONNREFUSED', 'ENOENT'].includes(e?.code) || /ECONNREFUSED|closed/i.test(String(e?.message));

async function waitFor(check, seconds) {
  let error;
  for (let i = 0; i < seconds * 4; i++) {
    error = await check();
    if (!error) return null;
    await sleep(250);
  }
  return error;
}

// (b) Redis
{
  let error = await checkRedis();
  if (error && refused(error) && isLocal(redisUrl) && onPath('redis-server')) {
    step(`redis: not reachable, starting redis-server on port ${redisUrl.port || 6379}`);
    spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', redisUrl.port || '6379',
      '--save', '', '--appendonly', 'no'], { stdio: 'inherit' });
    error = await waitFor(checkRedis, 10);
  }
  if (error) {
    fail(
      `Redis at ${shown(redisUrl)} is not reachable (${error.message ?? error}).\n` +
        (isLocal(redisUrl) && !onPath('redis-server')
          ? '  Install it: apt-get install -y redis-server redis-tools\n'
          : '') +
        '  Start it, or set REDIS_URL (in the environment or .env) to a running Redis.',
    );
  }
  step(`redis: ok at ${shown(redisUrl)}`);
}

// (b) PostgreSQL
{
  let error = await checkPostgres();
  const clusters = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (error && refused(error) && isLocal(dbUrl) && clusters.length > 0 && onPath('pg_ctlcluster')) {
    let started = false;
    for (const version of clusters) {
      step(`postgres: not reachable, starting cluster ${version}/main`);
      const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
      started ||= r.status === 0; // 2 means it was running already: the URL is what is wrong
    }
    if (started) error = await waitFor(checkPostgres, 20);
  }
  if (error) {
    const auth = ['28P01', '28000'].includes(error.code);
    fail(
      `PostgreSQL at ${shown(dbUrl)} is not usable (${error.message ?? error}).\n` +
        (auth
          ? '  The server refused the login. A stock Debian install needs a password role for TCP:\n' +
            `    sudo -u postgres psql -c "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB"\n` +
            '  then put DATABASE_URL=postgresql://app:app@127.0.0.1:5432/flashgate in .env and run setup again.'
          : isLocal(dbUrl) && clusters.length === 0
            ? '  Install it: apt-get install -y postgresql'
            : '  Start it, or set DATABASE_URL (in the environment or .env) to a running server.'),
    );
  }
  step(`postgres: ok at ${shown(dbUrl)}`);
}

// (c) secrets: added to .env when missing there, never overwriting a value it holds
{
  const existing = dotenv();
  const missing = ['SESSION_SECRET', 'ADMIN_TOKEN', 'ADMIN_PASSWORD'].filter((k) => !existing[k]);
  if (missing.length > 0) {
    let text = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
    // Drop empty `KEY=` lines so no reader can take them instead of the appended value.
    const empty = new RegExp(`^(?:export[ \\t]+)?(?:${missing.join('|')})[ \\t]*=[ \\t]*(?:""|'')?[ \\t]*$\\n?`, 'gm');
    text = text.replace(empty, '');
    if (text && !text.endsWith('\n')) text += '\n';
    for (const k of missing) {
      const value = randomBytes(32).toString('base64url');
      text += `${k}=${value}\n`;
      process.env[k] = realEnv[k] ?? value;
    }
    writeFileSync(envFile, text, { mode: 0o600 });
    step(`secrets: wrote ${missing.join(', ')} to .env`);
  } else {
    step('secrets: already in .env');
  }
  step(
    `admin password: ADMIN_PASSWORD in ${envFile}` +
      (realEnv.ADMIN_PASSWORD ? ' (overridden by ADMIN_PASSWORD in your environment)' : ''),
  );
}

// (c) settings given in the environment: written to .env (added, or the line updated), so a
// later `npm start` (which reads .env) uses the same database, key prefix and port.
{
  const given = ['DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'PORT'].filter((k) => realEnv[k]);
  const existing = dotenv();
  const changed = given.filter((k) => existing[k] !== realEnv[k]);
  if (changed.length > 0) {
    let text = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
    if (text && !text.endsWith('\n')) text += '\n';
    for (const k of changed) {
      const v = realEnv[k];
      // Plain when nothing in it means something to a .env reader (`#`, quotes, spaces), else quoted.
      const line = `${k}=${/^[\w@:/.,%+=?&~*-]*$/.test(v) ? v : v.includes("'") ? JSON.stringify(v) : `'${v}'`}`;
      const assignment = new RegExp(`^(?:export[ \\t]+)?${k}[ \\t]*=.*$\\n?`, 'gm');
      let replaced = false;
      // The first assignment becomes the new line, any later one (which would win) goes.
      text = text.replace(assignment, () => (replaced ? '' : ((replaced = true), `${line}\n`)));
      if (!replaced) text += `${line}\n`;
    }
    writeFileSync(envFile, text, { mode: 0o600 });
    const written = dotenv();
    const wrong = changed.filter((k) => written[k] !== realEnv[k]);
    if (wrong.length > 0) fail(`.env does not read back ${wrong.join(', ')} as given; set ${wrong.length > 1 ? 'them' : 'it'} in .env by hand`);
    step(`environment: wrote ${changed.join(', ')} to .env`);
  } else if (given.length > 0) {
    step(`environment: ${given.join(', ')} already in .env`);
  }
}

// (d) Prisma client
run('node', ['scripts/db-generate.mjs'], 'prisma generate');
step('prisma client: generated in lib/db/generated');

// (e) migrations (prints its own line)
run('tsx', ['scripts/migrate.ts'], 'migrations');

// (f) seed
if (existsSync(path.join(root, 'scripts/seed.ts'))) {
  run('tsx', ['scripts/seed.ts'], 'seed');
  step('seed: done');
} else {
  step('seed: no scripts/seed.ts, skipped');
}

// Playwright's webServer: the app as production runs it. A production build first when there
// is none (always in CI, or with E2E_BUILD=1), under the shared build lock since other work
// builds in this folder too; then `npm start` (scripts/start.mjs: the standalone server and
// the order worker), or, without the launcher, the standalone server plus `npm run worker`.
//
// Stop it by its process group, as Playwright and a terminal's Ctrl-C do: every process gets
// the signal once, straight from the kernel, so nothing here forwards it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line) => console.log(`[e2e server] ${line}`);
const BUILD_LOCK = '/tmp/flashgate-build.lock';
const buildId = path.join(root, '.next/BUILD_ID');
const hasFlock = spawnSync('sh', ['-c', 'command -v flock'], { stdio: 'ignore' }).status === 0;

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((m, e) => (e === 'generated' ? m : Math.max(m, newestMtime(path.join(p, e)))), 0);
}

function buildIfNeeded() {
  const force = Boolean(process.env.CI) || process.env.E2E_BUILD === '1';
  if (!force && existsSync(buildId)) {
    const stale = ['app', 'lib', 'public', 'next.config.js'].some((p) => newestMtime(path.join(root, p)) > statSync(buildId).mtimeMs);
    if (stale) log('note: sources changed since the last build; E2E_BUILD=1 (or `npm run build`) tests them');
    return;
  }
  // Checked again under the lock: someone else may have just built.
  const script = force ? 'npm run build' : '[ -f .next/BUILD_ID ] || npm run build';
  log(force ? 'production build (CI or E2E_BUILD=1)' : 'no production build yet: building');
  const r = hasFlock
    ? spawnSync('flock', [BUILD_LOCK, 'sh', '-c', script], { cwd: root, stdio: 'inherit' })
    : spawnSync('sh', ['-c', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[e2e server] the build failed');
    process.exit(1);
  }
}

// While the suite runs, the server serves from .next: a shared hold on the build lock makes a
// build elsewhere in this folder wait until the run is over instead of pulling it away.
const holdingBuild = (cmd, args) => (hasFlock ? ['flock', ['--shared', BUILD_LOCK, cmd, ...args]] : [cmd, args]);

const children = new Set();
let stopping = false;
function start(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      // One part died on its own: without it the suite cannot pass, so stop the rest.
      stopping = true;
      console.error(`[e2e server] ${[cmd, ...args].join(' ')} exited (${signal ?? `code ${code}`}); stopping`);
      for (const c of children) c.kill('SIGTERM');
      process.exitCode = 1;
    }
    if (children.size === 0) process.exit();
  });
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => (stopping = true));

buildIfNeeded();
if (existsSync(path.join(root, 'scripts/start.mjs'))) {
  log(`npm start on ${process.env.HOSTNAME}:${process.env.PORT}, WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY}`);
  start(...holdingBuild(process.execPath, ['scripts/start.mjs']));
} else {
  const { prepareStandalone } = await import('../scripts/prepare-standalone.mjs');
  prepareStandalone(root);
  log(`standalone server on ${process.env.HOSTNAME}:${process.env.PORT}`);
  start(...holdingBuild(process.execPath, ['.next/standalone/server.js']));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (pkg.scripts?.worker) start('npm', ['run', 'worker']);
  else log('no `npm run worker` yet: orders stay queued');
}

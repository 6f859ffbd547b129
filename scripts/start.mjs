// npm start: the production launcher. Builds if there is no build, prepares the standalone
// folder, then a node:cluster primary runs WEB_CONCURRENCY web processes (default one per
// core) on one port and one order worker, restarting any that dies (with backoff).
// SIGTERM/SIGINT stop everything cleanly and exit 0; a second signal forces the exit.
//
// npm run start:web (`--web`): one web process and no worker, for deployments that run the
// two separately.
//
// Environment: the root .env fills in what the real environment lacks (the standalone server
// would only see the snapshot `next build` copied). PORT (default 3000), HOSTNAME (the listen
// address, default 0.0.0.0, as Next's standalone server has it; 127.0.0.1 keeps it local),
// WEB_CONCURRENCY (default os.availableParallelism()).
import { spawn, spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { prepareStandalone } from './prepare-standalone.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line) => console.log(`[launcher] ${line}`);

// The order worker's CPU priority (nice, 0..19, default 10; WORKER_NICE=0 for none).
const workerNice = () => Math.min(19, Math.max(0, Number(process.env.WORKER_NICE ?? 10) || 0));

// A signal this soon after the first is the same Ctrl-C delivered twice, not a second one.
const DUPLICATE_SIGNAL_MS = 1_000;

// A web process that dies this many times in a row, each within 30 s of its start, is broken
// (configuration, build), not unlucky: the launcher stops rather than loop.
const MAX_YOUNG_DEATHS = 5;

function loadEnv() {
  const file = path.join(root, '.env');
  const dotenv = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  for (const [k, v] of Object.entries(dotenv)) process.env[k] ??= v;
  process.env.NODE_ENV = 'production';
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  process.env.PORT ||= '3000';
  process.env.HOSTNAME ||= '0.0.0.0';
}

function ensureBuild() {
  if (existsSync(path.join(root, '.next/BUILD_ID')) && existsSync(path.join(root, '.next/standalone/server.js'))) return;
  log('no production build: running npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[launcher] the build failed');
    process.exit(1);
  }
}

loadEnv();
ensureBuild();
prepareStandalone(root);

if (process.argv.includes('--web')) {
  log(`one web process (pid ${process.pid}) on Node ${process.version}, http://${process.env.HOSTNAME}:${process.env.PORT}`);
  await import('./web-process.mjs');
} else {
  runCluster();
}

/** Restart delay: quick after a long life, doubling while a process keeps dying young. */
function backoff(slot) {
  const livedMs = Date.now() - slot.startedAt;
  slot.failures = livedMs > 30_000 ? 0 : slot.failures + 1;
  return Math.min(100 * 2 ** slot.failures, 10_000);
}

function runCluster() {
  const webCount = Number(process.env.WEB_CONCURRENCY) || os.availableParallelism();
  const workerEntry = path.join(root, 'worker/index.ts');
  let stopping = false;
  const webSlots = new Map(); // cluster worker id -> slot
  const orderSlot = { failures: 0, startedAt: 0, child: null };

  cluster.setupPrimary({ exec: path.join(root, 'scripts/web-process.mjs') });

  function forkWeb(slot) {
    slot.startedAt = Date.now();
    const w = cluster.fork();
    webSlots.set(w.id, slot);
    slot.pid = w.process.pid;
  }

  cluster.on('listening', (w) => log(`web process ${w.process.pid} listening`));

  cluster.on('exit', (w, code, signal) => {
    const slot = webSlots.get(w.id);
    webSlots.delete(w.id);
    if (stopping) return maybeExit();
    const delay = backoff(slot);
    if (slot.failures > MAX_YOUNG_DEATHS) {
      console.error('[launcher] a web process keeps dying at start-up (see its errors above); giving up');
      return shutdown('SIGTERM', 1);
    }
    log(`web process ${w.process.pid} died (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
    setTimeout(() => !stopping && forkWeb(slot), delay);
  });

  // The order worker runs in its own process group, so a Ctrl-C in the terminal reaches it once
  // (forwarded from here) rather than twice, which its signal handling would take as "force".
  function startOrderWorker() {
    orderSlot.startedAt = Date.now();
    // `npm run worker` without npm and tsx's own wrapper process: tsx as a loader in one process.
    const child = spawn(process.execPath, ['--import', 'tsx', workerEntry], { cwd: root, stdio: 'inherit', detached: true });
    orderSlot.child = child;
    // During a rush the shoppers' answers come first: the worker yields the CPU to the web
    // processes and stores what they queued in the gaps (the queue absorbs the delay).
    const nice = workerNice();
    try {
      os.setPriority(child.pid, nice);
    } catch {}
    log(`order worker ${child.pid} started (nice ${nice})`);
    child.on('exit', (code, signal) => {
      orderSlot.child = null;
      if (stopping) return maybeExit();
      const delay = backoff(orderSlot);
      log(`order worker ${child.pid} died (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      setTimeout(() => !stopping && startOrderWorker(), delay);
    });
  }

  let exitCode = 0;
  function maybeExit() {
    if (webSlots.size === 0 && !orderSlot.child) {
      log('stopped');
      process.exit(exitCode);
    }
  }

  let stoppingSince = 0;
  function shutdown(signal, code = 0) {
    if (stopping) {
      // One Ctrl-C can arrive twice (from the terminal and forwarded by npm): only a later
      // signal means "force".
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return;
      console.error(`[launcher] ${signal} again: killing every process now`);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      orderSlot.child?.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    stoppingSince = Date.now();
    exitCode = code;
    log(`${signal}: letting in-flight requests finish, then stopping`);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    orderSlot.child?.kill('SIGTERM');
    maybeExit();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Web processes exit with the primary's IPC channel; the detached order worker would not.
  process.on('exit', () => orderSlot.child?.kill('SIGTERM'));

  log(
    `Node ${process.version}: ${webCount} web processes on http://${process.env.HOSTNAME}:${process.env.PORT}` +
      ` (primary ${process.pid})`,
  );
  for (let i = 0; i < webCount; i++) forkWeb({ failures: 0, startedAt: 0 });
  if (existsSync(workerEntry)) startOrderWorker();
  else log('worker/index.ts does not exist yet: no order worker started');
}

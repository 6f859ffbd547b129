// The production launcher (npm start: 2 web processes + the order worker) on the production
// build, for the tests that need the real thing (scripts/start.db.test.ts, test/hostile/),
// holding the build lock so no build elsewhere in the checkout replaces .next under it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { env } from '@/lib/config';
import { hasBuild, ROOT, startLauncher, type Server } from '@/bench/lib/servers';
import { freePort } from '@/test/services';

const BUILD_LOCK = '/tmp/flashgate-build.lock';
const hasFlock = () => spawnSync('sh', ['-c', 'command -v flock']).status === 0;

/**
 * Hold the build lock shared while a launcher runs on the build: `flock … npm run build` (an
 * exclusive lock) elsewhere in this checkout waits until the suite is done instead of
 * replacing .next under the running web processes (which would fail requests and change the
 * folder this suite measures). Builds first, under the exclusive lock, when there is no build.
 * Resolves to the release function.
 */
export async function holdBuild(): Promise<() => Promise<void>> {
  if (!hasFlock()) {
    if (!hasBuild()) build();
    return async () => {};
  }
  for (;;) {
    if (!hasBuild()) build();
    const release = await lockShared();
    if (hasBuild()) return release; // still there: nobody removed it between the two locks
    await release();
  }
}

function build(): void {
  const [cmd, args] = hasFlock() ? ['flock', [BUILD_LOCK, 'npm', 'run', 'build']] : ['npm', ['run', 'build']];
  const r = spawnSync(cmd, args as string[], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/**
 * `flock -s` around a `cat` that lives until its stdin is closed. The release resolves once
 * the lock is gone: a build (spawnSync, which blocks this process) must not start before, or
 * it would wait for a lock this very process still holds.
 */
function lockShared(): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('flock', ['-s', BUILD_LOCK, 'sh', '-c', 'echo held; exec cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('error', reject);
    child.stdout!.once('data', () =>
      resolve(async () => {
        child.stdin!.end();
        const kill = setTimeout(() => child.kill('SIGTERM'), 1_000);
        await exited;
        clearTimeout(kill);
      }),
    );
  });
}

export type Shop = {
  server: Server;
  port: number;
  /** 127.0.0.1:port, the Host a browser would send */
  host: string;
  /** The web processes' pids, from the launcher's `web process <pid> listening` lines. */
  webPids: number[];
  /** Sales this suite made (and any the fuzz made through the admin API). */
  saleIds: Set<string>;
};

export const listeningPids = (output: string) => [...output.matchAll(/web process (\d+) listening/g)].map((m) => Number(m[1]));

/** A launcher on a free port with WEB_CONCURRENCY=2, the suite's Redis prefix and the test database. */
export async function startShop(): Promise<Shop> {
  const port = await freePort();
  const server = await startLauncher({
    port,
    webConcurrency: 2,
    env: {
      REDIS_URL: env.REDIS_URL,
      REDIS_PREFIX: env.REDIS_PREFIX,
      DATABASE_URL: env.DATABASE_URL,
      SESSION_SECRET: env.SESSION_SECRET,
      ADMIN_TOKEN: env.ADMIN_TOKEN,
      ADMIN_PASSWORD: env.ADMIN_PASSWORD,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  const until = Date.now() + 30_000;
  while (listeningPids(server.output()).length < 2) {
    if (Date.now() > until) throw new Error(`the web processes did not start:\n${server.output().slice(-4_000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { server, port, host: `127.0.0.1:${port}`, webPids: listeningPids(server.output()), saleIds: new Set() };
}

/** A launcher line saying a process died or was restarted, if any. */
export const restartLines = (output: string) => output.split('\n').filter((l) => /\bdied\b|restarting|giving up/i.test(l));

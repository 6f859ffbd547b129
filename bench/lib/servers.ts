// Servers the bench (and the launcher's kill test) start and own: the production launcher
// and, for comparison, one `next start` process. Each is stopped by its own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Node 24, the project's own (the `node` dependency), whatever Node runs this file. */
export const PROJECT_NODE = existsSync(path.join(ROOT, 'node_modules/.bin/node'))
  ? path.join(ROOT, 'node_modules/.bin/node')
  : process.execPath;

export type Server = {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the server printed, for errors and for the kill test's restart check. */
  output: () => string;
  /** SIGTERM, wait for the exit (SIGKILL after `graceMs`); resolves to the exit code. */
  stop: (graceMs?: number) => Promise<number | null>;
};

/** Refuse to start on a port someone else is using: the bench starts nothing it does not own. */
export async function assertPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (inUse) throw new Error(`port ${port} on ${host} is in use; pick another with BENCH_PORT`);
}

export function hasBuild(): boolean {
  return existsSync(path.join(ROOT, '.next/BUILD_ID')) && existsSync(path.join(ROOT, '.next/standalone/server.js'));
}

function own(name: string, url: string, child: ChildProcess): Server {
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    }
    return child.exitCode;
  };
  return { name, url, child, output: () => output, stop };
}

/** Poll GET /api/health until it answers 200, or fail with what the server printed. */
export async function waitHealthy(server: Server, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) break;
    const ok = await fetch(`${server.url}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(200);
  }
  await server.stop(2_000);
  throw new Error(`${server.name} did not become healthy:\n${server.output().slice(-4_000)}`);
}

type StartOptions = { port: number; env: Record<string, string>; webConcurrency?: number };

/** `node scripts/start.mjs` (npm start): N web processes and the order worker, on 127.0.0.1. */
export async function startLauncher({ port, env, webConcurrency }: StartOptions): Promise<Server> {
  await assertPortFree(port);
  const child = spawn(PROJECT_NODE, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      ...(webConcurrency ? { WEB_CONCURRENCY: String(webConcurrency) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = own('production launcher', `http://127.0.0.1:${port}`, child);
  await waitHealthy(server);
  return server;
}

/** One `next start` process on the given Node (the machine's own, for the comparison). */
export async function startNextStart({ port, env, node }: StartOptions & { node: string }): Promise<Server> {
  await assertPortFree(port);
  const child = spawn(node, ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = own('next start', `http://127.0.0.1:${port}`, child);
  await waitHealthy(server);
  return server;
}

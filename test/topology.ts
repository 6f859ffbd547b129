import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { describe } from 'vitest';

// Tests that need a topology of scripts/redis-topology.sh (docs/topologies.md). They run only
// when REDIS_TOPOLOGY names it (npm run test:topologies sets it); in the default run they are
// listed as skipped, with the reason in their name. Nothing here imports the app.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/redis-topology.sh');
const run = promisify(execFile);

export type TopologyName = 'split' | 'cluster' | 'sentinel';

/** describe() that runs only on the named topology and says why it is skipped elsewhere. */
export function onTopology(name: TopologyName, title: string, body: () => void): void {
  const here = process.env.REDIS_TOPOLOGY === name;
  const label = here ? `${name}: ${title}` : `${name}: ${title} (skipped: needs REDIS_TOPOLOGY=${name}; npm run test:topologies runs it)`;
  describe.skipIf(!here)(label, body);
}

/** scripts/redis-topology.sh start <name>: starts whatever node is not running and waits until it serves. */
export async function startTopology(name: TopologyName): Promise<void> {
  try {
    await run(SCRIPT, ['start', name], { cwd: ROOT, timeout: 60_000 });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`redis-topology.sh start ${name} failed:\n${stdout}${stderr}`);
  }
}

/** The PID of one node the topology script started. */
export function nodePid(name: TopologyName, port: number): number {
  return Number(readFileSync(join(ROOT, '.redis-topology', name, String(port), 'redis.pid'), 'utf8').trim());
}

/** Kill one node (by its pidfile's PID) at once, as a crash would. */
export function killNode(name: TopologyName, port: number): void {
  process.kill(nodePid(name, port), 'SIGKILL');
}

/** How many scripts (EVAL + EVALSHA) a Redis server has run so far. */
export async function scriptCalls(server: Redis): Promise<number> {
  const stats = await server.info('commandstats');
  return [...stats.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

export const portOf = (url: string): number => Number(new URL(url).port);

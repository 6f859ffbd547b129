// The local Redis topologies of scripts/redis-topology.sh, for the benches: start one unless it
// already runs (and say whether this call started it, so the bench stops only what it started),
// stop one, read the app's settings for one.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'scripts/redis-topology.sh');

export type LocalTopology = 'single' | 'split' | 'cluster' | 'sentinel';

/** Start a topology unless every node of it already runs; true when this call started it. */
export function ensureTopology(topology: LocalTopology): boolean {
  const status = spawnSync(SCRIPT, ['status', topology], { encoding: 'utf8' }).stdout;
  if (!/ stopped/.test(status)) return false;
  const started = spawnSync(SCRIPT, ['start', topology], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (started.status !== 0) throw new Error(`scripts/redis-topology.sh start ${topology} failed`);
  return true;
}

export function stopTopology(topology: LocalTopology): void {
  spawnSync(SCRIPT, ['stop', topology], { stdio: 'ignore' });
}

/** The app's settings for a topology (REDIS_TOPOLOGY, REDIS_URL, REDIS_CLUSTER_NODES...). */
export function topologyEnv(topology: LocalTopology): Record<string, string> {
  const lines = spawnSync(SCRIPT, ['env', topology], { encoding: 'utf8' }).stdout.trim().split('\n');
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

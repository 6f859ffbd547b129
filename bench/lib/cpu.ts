// CPU time by process group (Linux /proc): what one request costs the web processes, the
// order worker, Redis, PostgreSQL and the load generator. Unlike req/s, CPU time per request
// hardly moves when other work shares the machine.
import { readdirSync, readFileSync } from 'node:fs';

type Proc = { pid: number; ppid: number; comm: string; cmdline: string; cpuMs: number };
export type CpuSample = Record<string, number>;

const TICK_MS = 10; // USER_HZ = 100 on Linux

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      out.push({
        pid: Number(name),
        ppid: Number(fields[1]),
        comm: stat.slice(stat.indexOf('(') + 1, close),
        cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '),
        cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
      });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * CPU ms used so far, per process, by group: the server's processes (web; its order worker),
 * the Redis server on `redisPort`, PostgreSQL's processes, and this process (the load generator).
 */
export function sampleCpu(serverPid: number | undefined, redisPort: string): CpuSample {
  const all = processes();
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const sample: CpuSample = {};
  const add = (group: string, p: Proc) => (sample[`${group}:${p.pid}`] = p.cpuMs);
  const walk = (pid: number, group: 'web' | 'worker') => {
    for (const c of children.get(pid) ?? []) {
      const g = group === 'worker' || c.cmdline.includes('worker/index.ts') ? 'worker' : 'web';
      add(g, c);
      walk(c.pid, g);
    }
  };
  const server = all.find((p) => p.pid === serverPid);
  if (server) {
    add('web', server);
    walk(server.pid, 'web');
  }
  for (const p of all) {
    if (p.comm.startsWith('redis-server') && p.cmdline.includes(`:${redisPort}`)) add('redis', p);
    if (p.comm === 'postgres' || p.cmdline.startsWith('postgres:')) add('postgres', p);
  }
  const own = process.cpuUsage();
  sample['load generator:0'] = (own.user + own.system) / 1000;
  return sample;
}

/**
 * µs of CPU per answered request, by group, between two samples. A process that ended in
 * between is left out (its last moments are lost); one that started counts from zero.
 */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuSample {
  const out: CpuSample = { web: 0, worker: 0, redis: 0, postgres: 0, 'load generator': 0 };
  for (const [key, ms] of Object.entries(after)) {
    const group = key.slice(0, key.lastIndexOf(':'));
    out[group] = (out[group] ?? 0) + ms - (before[key] ?? 0);
  }
  for (const k of Object.keys(out)) out[k] = Math.round((out[k] * 1000) / Math.max(1, requests));
  return out;
}

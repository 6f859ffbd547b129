import { describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/config';
import { luaScripts } from '@/lib/redis/scripts';

// The topology is chosen by configuration alone and checked at start-up; the scripts that
// may run on a replica say so in their first line. No Redis needed.

describe('REDIS_TOPOLOGY settings', () => {
  it('defaults to one Redis', () => {
    expect(loadEnv({})).toMatchObject({ REDIS_TOPOLOGY: 'single', REDIS_REPLICA_URLS: [], REDIS_CLUSTER_NODES: [], REDIS_GATE_PRECHECK: 'auto' });
  });

  it('refuses to start a topology without its own setting, naming it', () => {
    expect(() => loadEnv({ REDIS_TOPOLOGY: 'split' })).toThrow(/REDIS_REPLICA_URLS: is required with REDIS_TOPOLOGY=split/);
    expect(() => loadEnv({ REDIS_TOPOLOGY: 'cluster' })).toThrow(/REDIS_CLUSTER_NODES: is required with REDIS_TOPOLOGY=cluster/);
    expect(() => loadEnv({ REDIS_TOPOLOGY: 'sentinel' })).toThrow(/REDIS_SENTINELS: is required with REDIS_TOPOLOGY=sentinel/);
    expect(() => loadEnv({ REDIS_TOPOLOGY: 'shards' })).toThrow(/REDIS_TOPOLOGY/);
  });

  it('reads comma-separated lists and checks each entry', () => {
    const split = loadEnv({ REDIS_TOPOLOGY: 'split', REDIS_REPLICA_URLS: 'redis://10.0.0.2:6379, redis://10.0.0.3:6379' });
    expect(split.REDIS_REPLICA_URLS).toEqual(['redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']);
    const cluster = loadEnv({ REDIS_TOPOLOGY: 'cluster', REDIS_CLUSTER_NODES: 'redis-a:7000,redis-b:7001,' });
    expect(cluster.REDIS_CLUSTER_NODES).toEqual(['redis-a:7000', 'redis-b:7001']);
    expect(() => loadEnv({ REDIS_TOPOLOGY: 'cluster', REDIS_CLUSTER_NODES: 'redis://redis-a:7000' })).toThrow(/host:port/);
    expect(() => loadEnv({ REDIS_TOPOLOGY: 'split', REDIS_REPLICA_URLS: 'not a url' })).toThrow(/redis:\/\/ URL/);
  });
});

describe('read-only scripts', () => {
  it('only the gate reads are flagged no-writes, on their first line, after the includes are in', () => {
    const readOnly = luaScripts.filter((s) => s.readOnly).map((s) => s.name).sort();
    expect(readOnly).toEqual(['saleGate', 'saleStatus']);
    for (const s of luaScripts) {
      expect(s.lua.startsWith('#!lua flags=no-writes\n')).toBe(s.readOnly);
      expect(s.lua).not.toMatch(/^--- @include/m);
    }
  });
});

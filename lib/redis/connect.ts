import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { env, type Env } from '../config';
import { defineScripts } from './scripts';

// Which Redis a process talks to is configuration alone (REDIS_TOPOLOGY, docs/topologies.md).
// This is the one place that builds connections; everything else calls the same functions
// whatever the topology. That works because every script touches one sale's keys (one hash
// tag, so one Cluster slot) and every other command touches a single key.

export type RedisClient = Redis | Cluster;

/**
 * A connection and the key prefix it works under, handed to the worker's parts (BullMQ's
 * `connection` and `prefix`): a test runs them on its own prefix without touching env.
 */
export type RedisScope = { client: RedisClient; prefix: string };

export const scopeOf = (client: RedisClient, prefix = env.REDIS_PREFIX): RedisScope => ({ client, prefix });

export type TopologyConfig = Pick<
  Env,
  | 'REDIS_TOPOLOGY'
  | 'REDIS_URL'
  | 'REDIS_REPLICA_URLS'
  | 'REDIS_CLUSTER_NODES'
  | 'REDIS_SENTINELS'
  | 'REDIS_SENTINEL_NAME'
  | 'REDIS_SENTINEL_PASSWORD'
>;

/**
 * `request`: the web path. No offline queue and 1 s timeouts, so a dead Redis is a quick 503.
 * `worker`: never gives up. Commands wait in the offline queue while Redis is away and
 * reconnects back off with jitter (every script is safe to run twice).
 * `subscriber`: a pub/sub connection, as patient as the worker.
 */
export type Role = 'request' | 'worker' | 'subscriber';

const backoff = (baseMs: number, capMs: number, jitterMs: number) => (attempt: number) =>
  Math.min(baseMs * 2 ** Math.min(attempt, 16), capMs) + Math.floor(Math.random() * jitterMs);

// Waits for Redis however long it is away, reconnecting with jitter.
const PATIENT: RedisOptions = { maxRetriesPerRequest: null, retryStrategy: backoff(100, 5_000, 250) };

const ROLE: Record<Role, RedisOptions> = {
  request: {
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: backoff(50, 2_000, 100),
  },
  worker: { ...PATIENT, enableAutoPipelining: true, connectionName: 'flashgate-worker' },
  // Pub/sub (a connection of its own), resubscribing on reconnect.
  subscriber: { ...PATIENT, connectionName: 'flashgate-subscriber' },
};

// A replica read that has not answered by then is asked of the primary instead.
const REPLICA_TIMEOUT_MS = 500;

/** REDIS_URL's username and password: the data nodes' credentials in cluster and sentinel. */
function credentials(url: string): Pick<RedisOptions, 'username' | 'password'> {
  const u = new URL(url);
  return {
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
  };
}

const hostPorts = (list: string[]) =>
  list.map((entry) => {
    const at = entry.lastIndexOf(':');
    return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
  });

function clusterOptions(role: Role, config: TopologyConfig, scaleReads: ClusterOptions['scaleReads']): ClusterOptions {
  const { retryStrategy, enableOfflineQueue, ...node } = ROLE[role];
  return {
    scaleReads,
    enableAutoPipelining: true,
    enableOfflineQueue: enableOfflineQueue ?? true,
    // Startup nodes unreachable: keep trying (the request role still answers 503 meanwhile).
    clusterRetryStrategy: retryStrategy as ClusterOptions['clusterRetryStrategy'],
    // A failover or resharding: MOVED/TRYAGAIN/CLUSTERDOWN are retried briefly, then fail.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    redisOptions: { ...node, ...credentials(config.REDIS_URL) },
  };
}

function sentinelOptions(role: Role, config: TopologyConfig, sentinelRole: 'master' | 'slave'): RedisOptions {
  return {
    ...ROLE[role],
    ...credentials(config.REDIS_URL),
    sentinels: hostPorts(config.REDIS_SENTINELS),
    name: config.REDIS_SENTINEL_NAME,
    sentinelPassword: config.REDIS_SENTINEL_PASSWORD,
    role: sentinelRole,
    // Reconnect to the new primary as soon as a sentinel announces +switch-master.
    failoverDetector: true,
  };
}

/**
 * The connection for every write, the reserve script, and every read that must see the
 * latest write: the primary (single, split, sentinel) or the whole cluster, masters only.
 */
export function createRedis(role: Role, config: TopologyConfig = env): RedisClient {
  let client: RedisClient;
  switch (config.REDIS_TOPOLOGY) {
    case 'single':
    case 'split':
      client = new Redis(config.REDIS_URL, ROLE[role]);
      break;
    case 'sentinel':
      client = new Redis(sentinelOptions(role, config, 'master'));
      break;
    case 'cluster':
      client = new Cluster(hostPorts(config.REDIS_CLUSTER_NODES), clusterOptions(role, config, 'master'));
      break;
  }
  defineScripts(client);
  return client;
}

/**
 * Where the gate's read-only scripts go (the sale status and the reserve pre-check): a
 * replica when one is healthy, else the primary. Only scripts flagged no-writes are sent
 * here, never a read that must see a write just made (an order lookup, the admin's figures).
 */
export interface ReplicaReads {
  /** whether the topology has replicas at all */
  readonly replicated: boolean;
  /** the client for one read: a healthy replica, or `primary` when there is none */
  pick(): RedisClient;
  /** a read on `client` failed: leave it out for a while (SKIP_FAILED_MS) */
  failed(client: RedisClient): void;
  close(): Promise<void>;
}

export function createReplicaReads(primary: RedisClient, config: TopologyConfig = env): ReplicaReads {
  switch (config.REDIS_TOPOLOGY) {
    case 'single':
      return { replicated: false, pick: () => primary, failed: () => {}, close: async () => {} };
    case 'split':
      return new ReplicaSet(primary, config.REDIS_REPLICA_URLS.map((url) => new Redis(url, replicaOptions())));
    case 'sentinel':
      // Sentinel names a random healthy replica; on its loss ioredis asks again.
      return new ReplicaSet(primary, [new Redis({ ...sentinelOptions('request', config, 'slave'), ...replicaOptions() })]);
    case 'cluster':
      return new ClusterReplicas(primary, config);
  }
}

const replicaOptions = (): RedisOptions => ({
  ...ROLE.request,
  commandTimeout: REPLICA_TIMEOUT_MS,
  connectionName: 'flashgate-replica-reads',
});

// How often each replica's link to its primary is checked, and how long a replica whose read
// failed is skipped before it is tried again.
const HEALTH_EVERY_MS = 1_000;
const SKIP_FAILED_MS = 2_000;

/**
 * Standalone replicas (split, or the one Sentinel names), used in turn. A replica is used only
 * while it is connected, answered its last check, and has a live link to its primary: one cut
 * off from its primary keeps serving ever older data (replica-serve-stale-data), so it is left
 * out until the link is back. The check runs every second on an unref'd timer.
 */
class ReplicaSet implements ReplicaReads {
  readonly replicated = true;
  private readonly skipUntil = new Map<Redis, number>();
  private readonly linkUp = new Map<Redis, boolean>();
  private next = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly primary: RedisClient,
    private readonly replicas: Redis[],
  ) {
    for (const r of replicas) {
      defineScripts(r);
      r.on('error', () => {}); // a replica's trouble sends reads to the primary, never to the shopper
      r.on('ready', () => void this.checkLinks());
    }
    this.timer = setInterval(() => void this.checkLinks(), HEALTH_EVERY_MS);
    this.timer.unref();
    void this.checkLinks();
  }

  pick(): RedisClient {
    const now = performance.now();
    for (let i = 0; i < this.replicas.length; i++) {
      const r = this.replicas[(this.next + i) % this.replicas.length];
      if (r.status === 'ready' && this.linkUp.get(r) && (this.skipUntil.get(r) ?? 0) <= now) {
        this.next = (this.next + i + 1) % this.replicas.length;
        return r;
      }
    }
    return this.primary;
  }

  failed(client: RedisClient): void {
    if (client instanceof Redis && this.replicas.includes(client)) {
      this.skipUntil.set(client, performance.now() + SKIP_FAILED_MS);
    }
  }

  private async checkLinks(): Promise<void> {
    await Promise.all(
      this.replicas.map(async (r) => {
        if (r.status !== 'ready') return this.linkUp.set(r, false);
        try {
          const info = await r.info('replication');
          this.linkUp.set(r, /^role:slave\r?$/m.test(info) && /^master_link_status:up\r?$/m.test(info));
        } catch {
          this.linkUp.set(r, false);
        }
      }),
    );
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled(this.replicas.map((r) => r.quit()));
    for (const r of this.replicas) r.disconnect();
  }
}

/**
 * Redis Cluster: a second Cluster client whose reads go to a connected replica of the key's
 * shard (the master when it has none). A client of its own, because ioredis's auto-pipelining
 * groups a script with other commands for the same shard and sends the group where its first
 * command goes: on one shared client a read-only script could carry writes to a replica.
 * A failed read (a replica killed or hung) sends every read to the masters for a while; the
 * cluster client itself drops a dead replica, and CLUSTER SLOTS stops listing a failed one.
 */
class ClusterReplicas implements ReplicaReads {
  readonly replicated = true;
  private readonly reader: Cluster;
  private skipUntil = 0;

  constructor(
    private readonly primary: RedisClient,
    config: TopologyConfig,
  ) {
    const { redisOptions, ...options } = clusterOptions('request', config, (nodes: Redis[]) => {
      // nodes[0] is the shard's master. 'wait' is a replica not yet asked (connections are lazy).
      const usable = nodes.slice(1).filter((n) => n && (n.status === 'ready' || n.status === 'wait'));
      return usable.length > 0 ? usable : nodes[0];
    });
    this.reader = new Cluster(hostPorts(config.REDIS_CLUSTER_NODES), {
      ...options,
      redisOptions: { ...redisOptions, commandTimeout: REPLICA_TIMEOUT_MS, connectionName: 'flashgate-replica-reads' },
    });
    this.reader.on('error', () => {});
    defineScripts(this.reader);
  }

  pick(): RedisClient {
    return this.reader.status === 'ready' && this.skipUntil <= performance.now() ? this.reader : this.primary;
  }

  failed(client: RedisClient): void {
    if (client === this.reader) this.skipUntil = performance.now() + SKIP_FAILED_MS;
  }

  async close(): Promise<void> {
    await this.reader.quit().catch(() => {});
    this.reader.disconnect();
  }
}

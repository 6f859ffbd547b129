import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';

// Services a test controls: a Redis of its own, a proxy to PostgreSQL it can cut, and the
// removal of what a run left on the shared servers (test/globalSetup.ts, e2e/global-teardown.ts).
// Nothing here imports the app, so a test can start them before the app reads its configuration.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Drop a database a test run created (its connections are ended first: a server still
 * running may hold some). Connects to the `postgres` database of the same server.
 */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * Remove every key of a run's prefix from the Redis at `redisUrl`: `prefix:*`, and
 * `prefix-*` for the prefixes test files derive from it (`${REDIS_PREFIX}-kill`). SCAN and
 * UNLINK in batches, so a large run never blocks the server. Returns how many went.
 */
export async function removePrefixKeys(redisUrl: string, prefix: string): Promise<number> {
  // The app allows [a-z0-9_-] (lib/config.ts): no glob character, so the patterns match literally.
  if (!/^[a-z0-9_-]+$/i.test(prefix)) throw new Error(`not a key prefix: ${JSON.stringify(prefix)}`);
  const client = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {}); // the command that fails reports it
  await client.connect();
  let removed = 0;
  try {
    for (const match of [`${prefix}:*`, `${prefix}-*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        if (keys.length > 0) removed += await client.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
  return removed;
}

/** A redis-server of the test's own, so it can be wiped or stopped without touching anyone else's data. */
export async function startRedisServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return {
        url,
        stop: async () => {
          server.kill('SIGKILL');
          if (server.exitCode === null && server.signalCode === null) await once(server, 'exit');
        },
      };
    } catch {
      probe.disconnect();
      await sleep(100);
    }
  }
  server.kill('SIGKILL');
  throw new Error('test redis-server did not start');
}

/**
 * A TCP proxy to PostgreSQL that the test can take down (connections cut, new ones refused)
 * and bring back, so a worker sees the database vanish without the shared server stopping.
 * `loseAnswer(pattern)`: the next answer from PostgreSQL that matches is dropped and the proxy
 * goes down, so the statement is done (committed) while its client never hears so.
 */
export async function databaseProxy(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let lose: { pattern: RegExp; lost: () => void } | null = null;
  const url = new URL(databaseUrl);
  url.port = String(port);

  async function up(): Promise<void> {
    if (server) return;
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (lose && lose.pattern.test(chunk.toString('latin1'))) {
          const { lost } = lose;
          lose = null;
          void down().then(lost);
        } else {
          client.write(chunk);
        }
      });
      upstream.on('end', () => client.end());
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  }

  async function down(): Promise<void> {
    if (!server) return;
    const closing = server;
    server = null;
    closing.close();
    for (const s of sockets) s.destroy();
    await once(closing, 'close');
  }

  /** Resolves once an answer matching `pattern` was dropped and the proxy is down. */
  const loseAnswer = (pattern: RegExp) => new Promise<void>((lost) => (lose = { pattern, lost }));

  return { url: url.toString(), up, down, loseAnswer };
}

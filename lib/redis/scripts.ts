import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis, Cluster, Result } from 'ioredis';

// Scripts live in lib/redis/scripts as `<name>-<numberOfKeys>.lua`. They are read from
// the working directory, which is the repo root for the worker and tests and the
// standalone folder for the built server (next.config.js traces them in).
const SCRIPTS_DIR = join(process.cwd(), 'lib/redis/scripts');

/** Replace `--- @include "name"` lines with includes/name.lua (BullMQ style). */
function withIncludes(source: string): string {
  return source.replace(/^--- @include "([\w-]+)"$/gm, (_, name: string) =>
    readFileSync(join(SCRIPTS_DIR, 'includes', `${name}.lua`), 'utf8'),
  );
}

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

// A script whose first line is `#!lua flags=no-writes` (Redis 7) is read-only: Redis refuses
// any write in it and runs it on a replica, even while writes are paused (a script without
// flags counts as may-replicate and waits). ioredis marks it readOnly, which is what lets the
// cluster's reader send it to a replica (lib/redis/connect.ts).
const NO_WRITES = /^#!lua flags=(?:[\w-]+,)*no-writes(?:,[\w-]+)*\n/;

export type LuaScript = { name: string; numberOfKeys: number; lua: string; readOnly: boolean };

export const luaScripts: LuaScript[] = readdirSync(SCRIPTS_DIR)
  .filter((f) => f.endsWith('.lua'))
  .map((file) => {
    const [, name, keys] = /^(.+)-(\d+)\.lua$/.exec(file) ?? [];
    if (!name) throw new Error(`Lua script ${file} must be named <name>-<numberOfKeys>.lua`);
    const lua = withIncludes(readFileSync(join(SCRIPTS_DIR, file), 'utf8'));
    // Redis reads a shebang only on the very first line; anywhere else it is a syntax error.
    if (lua.lastIndexOf('#!') > 0) throw new Error(`Lua script ${file}: a #! line may only open the file`);
    return { name: camel(name), numberOfKeys: Number(keys), lua, readOnly: NO_WRITES.test(lua) };
  });

/** defineCommand sends EVALSHA, and EVAL again by itself after a NOSCRIPT (Redis restart, SCRIPT FLUSH). */
export function defineScripts(client: Redis | Cluster): void {
  for (const s of luaScripts) {
    client.defineCommand(s.name, { numberOfKeys: s.numberOfKeys, lua: s.lua, readOnly: s.readOnly });
  }
}

type Reply = (string | number)[];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    reserve(...keysThenArgs: (string | number)[]): Result<Reply, Context>;
    saleStatus(meta: string, stock: string): Result<Reply, Context>;
    saleGate(meta: string, stock: string): Result<Reply, Context>;
    loadSale(...keysThenArgs: (string | number)[]): Result<[number, number], Context>;
    takeBatch(queue: string, processing: string, consumers: string, workerId: string, count: number): Result<string[], Context>;
    ackBatch(processing: string, consumers: string, workerId: string): Result<number, Context>;
    requeue(processing: string, queue: string, consumers: string, workerId: string): Result<number, Context>;
    moveOrders(from: string, to: string, ...orders: string[]): Result<number, Context>;
    restoreBuyers(stock: string, buyers: string, ...userThenUnits: (string | number)[]): Result<number, Context>;
    pendingOrders(...keysThenArgs: (string | number)[]): Result<(string | number)[], Context>;
  }
}

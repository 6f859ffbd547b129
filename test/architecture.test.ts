import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

// How modules may meet: no import cycle anywhere, none between lib's folders, and the worker
// loads nothing of the web process (its request client, refusal cache, Next).

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['lib', 'app', 'worker', 'scripts', 'bench', 'test', 'e2e', 'proxy.ts', 'instrumentation.ts', 'instrumentation-node.ts'];

const graph = async (paths: string | string[], { tests = true } = {}) =>
  (
    await madge(paths, {
      baseDir: ROOT,
      fileExtensions: ['ts', 'tsx', 'mjs'],
      tsConfig: `${ROOT}/tsconfig.json`,
      excludeRegExp: [/node_modules/, /lib\/db\/generated/, ...(tests ? [] : [/\.test\.ts$/])],
      // A type-only import costs nothing at run time and cannot form a cycle there.
      detectiveOptions: { ts: { skipTypeImports: true }, tsx: { skipTypeImports: true } },
    })
  ).obj();

/** The cycles of a directed graph (each as the path that closes it), by depth-first search. */
function cycles(edges: Record<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      found.push([...path.slice(path.indexOf(node)), node]);
      return;
    }
    state.set(node, 'open');
    for (const next of edges[node] ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of Object.keys(edges)) visit(node, []);
  return found;
}

/** lib/sale/admin.ts -> lib/sale; lib/config.ts -> lib/config */
const libFolder = (file: string) => file.split('/').slice(0, 2).join('/').replace(/\.tsx?$/, '');

describe('module structure', () => {
  it('cycles() finds a cycle where there is one', () => {
    expect(cycles({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] })).toEqual([['a', 'b', 'c', 'a']]);
    expect(cycles({ a: ['b'], b: [], c: ['a', 'b'] })).toEqual([]);
  });

  it('no file imports itself back, through any path', async () => {
    expect(cycles(await graph(SOURCES))).toEqual([]);
  });

  it("no two of lib's folders import each other, directly or not", async () => {
    const files = await graph('lib', { tests: false });
    const folders: Record<string, string[]> = {};
    for (const [file, deps] of Object.entries(files)) {
      if (!file.startsWith('lib/')) continue;
      const from = libFolder(file);
      const to = deps.filter((d) => d.startsWith('lib/')).map(libFolder).filter((d) => d !== from);
      folders[from] = [...new Set([...(folders[from] ?? []), ...to])];
    }
    expect(Object.keys(folders)).toEqual(expect.arrayContaining(['lib/sale', 'lib/orders', 'lib/redis']));
    expect(cycles(folders)).toEqual([]);
  });

  it("the worker's import tree holds nothing of the web process", async () => {
    const files = Object.keys(await graph('worker/index.ts', { tests: false }));
    expect(files).toEqual(expect.arrayContaining(['worker/orderWorker.ts', 'lib/orders/drain.ts', 'lib/sale/sync.ts']));
    const web = files.filter((f) => /^(app|pages)\/|^lib\/(http|cache|auth|shop)\/|^lib\/redis\/client\.ts$|^lib\/sale\/refusal\.ts$/.test(f));
    expect(web).toEqual([]);
  });

  it("importing the worker's modules makes no web-role Redis connection", async () => {
    // In a fresh process: the request client and the replica reads are globalThis singletons
    // created by importing lib/redis/client.ts. Importing it last shows the probe sees them.
    const probe = `
      const seen = () => ['flashgateRedis', 'flashgateReplicaReads', 'flashgateTagSubscriber'].filter((k) => globalThis[k]);
      await import('./worker/orderWorker.ts');
      await import('./lib/orders/heartbeat.ts');
      const afterWorker = seen();
      const { redis } = await import('./lib/redis/client.ts');
      console.log(JSON.stringify({ afterWorker, afterClient: seen() }));
      redis.disconnect();
      process.exit(0);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      cwd: ROOT,
      env: process.env,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      afterWorker: [],
      afterClient: ['flashgateRedis', 'flashgateReplicaReads'],
    });
  });
});

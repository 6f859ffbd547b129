// npm run test:topologies [-- --only split,cluster] [--keep]: the purchase-path tests
// (lib/sale/reserve.redis.test.ts, unchanged) in every Redis topology, plus each topology's
// own *.topology.test.ts files (those that call onTopology('<name>', ...)). For each topology:
// start it (scripts/redis-topology.sh), run vitest with its settings, stop it. A test skipped
// here counts as a failure: in CI a skipped test is a test that did not run.
// The topologies get ports free at this run's start (REDIS_TOPOLOGY_BASE_PORT, unless given),
// so a second run or anything on the default 7000-7300 is not in the way.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOPOLOGY = path.join(ROOT, 'scripts/redis-topology.sh');
const ALL = ['single', 'split', 'cluster', 'sentinel'];
const COMMON = ['lib/sale/reserve.redis.test.ts'];

const { values } = parseArgs({ options: { only: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const topologies = values.only ? values.only.split(',').map((t) => t.trim()) : ALL;
for (const t of topologies) if (!ALL.includes(t)) throw new Error(`unknown topology ${t} (${ALL.join(', ')})`);

/** Every *.topology.test.ts under the repo (not node_modules), with the topologies it declares. */
function topologyTests() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.topology.test.ts')) {
        const names = [...readFileSync(full, 'utf8').matchAll(/onTopology\('(\w+)'/g)].map((m) => m[1]);
        found.push({ file: path.relative(ROOT, full), names });
      }
    }
  };
  walk(ROOT);
  return found;
}

// Every port of scripts/redis-topology.sh is its base plus one of these; the cluster's bus adds 10000.
const OFFSETS = [0, 1, 2, 3, 4, 5, 100, 101, 102, 200, 201, 202, 210, 211, 212, 300];
const OFFSETS_WITH_BUS = [...OFFSETS, ...[0, 1, 2, 3, 4, 5].map((o) => o + 10_000)];

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base port whose every topology port (and cluster bus port) is free now. */
async function freeBasePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    // 10000-21990: every port, bus included, stays under Linux's ephemeral range (32768 up),
    // where outgoing connections would take theirs meanwhile.
    const base = 10_000 + Math.floor(Math.random() * 1_200) * 10;
    let free = true;
    for (const offset of OFFSETS_WITH_BUS) if (!(free = await portFree(base + offset))) break;
    if (free) return base;
  }
  throw new Error('no free base port for the Redis topologies (set REDIS_TOPOLOGY_BASE_PORT)');
}

process.env.REDIS_TOPOLOGY_BASE_PORT ||= String(await freeBasePort());

// The base port reaches the script (and, through vitest's environment, test/topology.ts) in process.env.
function sh(args, options = {}) {
  const r = spawnSync(TOPOLOGY, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
  if (r.status !== 0) throw new Error(`scripts/redis-topology.sh ${args.join(' ')} failed (exit ${r.status})`);
  return r.stdout;
}

const say = (line) => console.log(`[test:topologies] ${line}`);
say(`ports from base ${process.env.REDIS_TOPOLOGY_BASE_PORT} (REDIS_TOPOLOGY_BASE_PORT)`);
const tests = topologyTests();
const results = [];
const work = mkdtempSync(path.join(tmpdir(), 'fg-topologies-'));

try {
  for (const topology of topologies) {
    const started = performance.now();
    const files = [...COMMON, ...tests.filter((t) => t.names.includes(topology)).map((t) => t.file)];
    const settings = Object.fromEntries(
      sh(['env', topology]).trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    say(`${topology}: starting (${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(' ')})`);
    sh(['start', topology], { stdio: ['ignore', 'inherit', 'inherit'] });
    const report = path.join(work, `${topology}.json`);
    try {
      say(`${topology}: vitest run ${files.join(' ')}`);
      const run = spawnSync('npx', ['vitest', 'run', ...files, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
        cwd: ROOT,
        stdio: 'inherit',
        // vitest.config.ts takes the tests' REDIS_URL from TEST_REDIS_URL.
        env: { ...process.env, ...settings, ...(settings.REDIS_URL && { TEST_REDIS_URL: settings.REDIS_URL }) },
      });
      let counts = { passed: 0, failed: 0, skipped: 0 };
      try {
        const json = JSON.parse(readFileSync(report, 'utf8'));
        counts = { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests };
      } catch {
        counts.failed = 1; // no report: vitest itself failed
      }
      const ok = run.status === 0 && counts.failed === 0 && counts.skipped === 0 && counts.passed > 0;
      results.push({ topology, files: files.length, ...counts, seconds: Math.round((performance.now() - started) / 100) / 10, ok });
    } finally {
      if (!values.keep) sh(['stop', topology], { stdio: ['ignore', 'inherit', 'inherit'] });
      else say(`${topology}: kept running; stop it with REDIS_TOPOLOGY_BASE_PORT=${process.env.REDIS_TOPOLOGY_BASE_PORT} scripts/redis-topology.sh stop ${topology}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('\n| topology | test files | passed | failed | skipped | seconds |\n| --- | --: | --: | --: | --: | --: |');
for (const r of results) console.log(`| ${r.topology} | ${r.files} | ${r.passed} | ${r.failed} | ${r.skipped} | ${r.seconds} |`);
const bad = results.filter((r) => !r.ok);
if (bad.length > 0 || results.length < topologies.length) {
  say(`FAILED: ${bad.map((r) => r.topology).join(', ') || 'a topology did not run'} (a skipped test counts as a failure here)`);
  process.exitCode = 1;
} else {
  say(`all ${results.length} topologies passed`);
}

// npm run test:topologies [-- --only split,cluster] [--keep]: the purchase-path tests
// (lib/sale/reserve.redis.test.ts, unchanged) in every Redis topology, plus each topology's
// own *.topology.test.ts files (those that call onTopology('<name>', ...)). For each topology:
// start it (scripts/redis-topology.sh), run vitest with its settings, stop it. A test skipped
// here counts as a failure: in CI a skipped test is a test that did not run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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

function sh(args, options = {}) {
  const r = spawnSync(TOPOLOGY, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
  if (r.status !== 0) throw new Error(`scripts/redis-topology.sh ${args.join(' ')} failed (exit ${r.status})`);
  return r.stdout;
}

const say = (line) => console.log(`[test:topologies] ${line}`);
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

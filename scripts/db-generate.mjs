// npm run db:generate: `prisma generate` into lib/db/generated. Quiet on success.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// By path, not node_modules/.bin/prisma: that link may point at the prisma6 alias.
const cli = path.join(root, 'node_modules/prisma/build/index.js');

function generate(extraEnv = {}) {
  return spawnSync(process.execPath, [cli, 'generate'], {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
  });
}

let result = generate();
const output = (r) => `${r.stdout ?? ''}${r.stderr ?? ''}`;

// Prisma 7 fetches the native schema engine before every command, `generate` included, though
// generate never uses it. Offline that download fails; any existing file satisfies the check.
// Only here, only for this child: elsewhere the real engine must be fetched and used.
if (result.status !== 0 && /binaries\.prisma\.sh|schema-engine|ENOTFOUND|EAI_AGAIN/.test(output(result))) {
  result = generate({
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'node_modules/prisma/package.json'),
    CHECKPOINT_DISABLE: '1',
  });
}

if (result.status !== 0) {
  process.stderr.write(output(result) || String(result.error ?? 'prisma generate failed'));
  process.exit(1);
}

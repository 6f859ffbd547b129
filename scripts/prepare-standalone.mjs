// Makes .next/standalone servable on its own: `next build` leaves out .next/static and
// public/, which a standalone server must serve itself (no CDN in front of it here).
// Idempotent; `npm start` runs it before every start. Also usable as
// `node scripts/prepare-standalone.mjs`.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Copy .next/static and public/ into the standalone folder; drop the build's .env snapshot. */
export function prepareStandalone(root = repoRoot) {
  const standalone = path.join(root, '.next/standalone');
  if (!existsSync(path.join(standalone, 'server.js'))) {
    throw new Error('.next/standalone/server.js is missing: run `npm run build` (next.config.js has output: standalone)');
  }
  // Hashed file names: overwriting in place never breaks a server that is running.
  cpSync(path.join(root, '.next/static'), path.join(standalone, '.next/static'), { recursive: true, force: true });
  if (existsSync(path.join(root, 'public'))) {
    cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true, force: true });
  }
  // `next build` copies .env files into the standalone folder, and the server would read that
  // snapshot: stale after `npm run setup` or a rotated secret. The launcher passes the root
  // .env in the environment instead, so remove the snapshot.
  for (const file of readdirSync(standalone)) {
    if (/^\.env(\..+)?$/.test(file)) rmSync(path.join(standalone, file), { force: true });
  }
  return standalone;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`prepared ${path.relative(process.cwd(), prepareStandalone()) || '.'}`);
}

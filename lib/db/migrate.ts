// A tiny applier for Prisma's migration layout, for machines where `prisma migrate deploy`
// cannot run (no schema engine). It keeps `_prisma_migrations` exactly as Prisma does, so
// either tool can take over from the other.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

// Prisma Migrate's advisory lock key: holding it also keeps a concurrent `prisma migrate`
// out while we apply.
const LOCK_KEY = 72707369;

// Prisma's own DDL for PostgreSQL (schema-engine, sql-schema-connector).
const MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export type ApplyMigrationsOptions = {
  connectionString: string;
  migrationsDir: string;
  log?: (line: string) => void;
};

export type ApplyMigrationsResult = { applied: string[]; warnings: string[] };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

type LocalMigration = { name: string; sql: string; checksum: string };
type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

export async function applyMigrations({
  connectionString,
  migrationsDir,
  log = () => {},
}: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const local = await readLocalMigrations(migrationsDir);
  await ensureDatabase(connectionString, log);

  const client = new pg.Client({ connectionString });
  await client.connect();
  const applied: string[] = [];
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    log(`warning: ${line}`);
  };
  try {
    // Session-level lock: released by pg_advisory_unlock or when the connection ends.
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      const { rows: exists } = await client.query<{ t: string | null }>(
        "SELECT to_regclass('_prisma_migrations')::text AS t",
      );
      if (!exists[0]?.t) await client.query(MIGRATIONS_TABLE_DDL);

      const { rows } = await client.query<MigrationRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at
           FROM _prisma_migrations ORDER BY started_at`,
      );
      const live = rows.filter((r) => r.rolled_back_at === null);

      const failed = live.filter((r) => r.finished_at === null);
      if (failed.length > 0) throw new MigrationError(failedMessage(failed.map((r) => r.migration_name)));

      const done = new Map(live.map((r) => [r.migration_name, r]));
      const localNames = new Set(local.map((m) => m.name));
      for (const row of done.values()) {
        if (!localNames.has(row.migration_name)) {
          warn(`${row.migration_name} is applied in the database but missing from ${migrationsDir}`);
        }
      }

      for (const m of local) {
        const row = done.get(m.name);
        if (row) {
          if (row.checksum !== m.checksum) {
            warn(`${m.name}/migration.sql was modified after it was applied (checksum differs)`);
          }
          continue;
        }
        log(`applying ${m.name}`);
        await applyOne(client, m);
        applied.push(m.name);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
  return { applied, warnings };
}

async function applyOne(client: pg.Client, m: LocalMigration): Promise<void> {
  const id = randomUUID();
  const startedAt = new Date();
  // The row goes in with the migration's own transaction, so a crash mid-way leaves neither
  // schema changes nor a "failed" row behind. A failure is recorded after the rollback.
  await client.query('BEGIN');
  try {
    // No parameters: pg sends the simple query protocol, which runs the whole file at once.
    await client.query(m.sql);
    await client.query(
      `INSERT INTO _prisma_migrations
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, $4, clock_timestamp(), 1)`,
      [id, m.checksum, m.name, startedAt],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    const e = error as { code?: string; message?: string; position?: string };
    const logs = [
      e.code ? `Database error code: ${e.code}` : null,
      `Database error:\n${e.message ?? String(error)}`,
      e.position ? `Position: ${e.position}` : null,
    ]
      .filter(Boolean)
      .join('\n\n');
    await client.query(
      `INSERT INTO _prisma_migrations
         (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, $3, $4, $5, 0)`,
      [id, m.checksum, m.name, logs, startedAt],
    );
    throw new MigrationError(
      `Migration ${m.name} failed and was rolled back:\n${logs}\n\n${failedMessage([m.name])}`,
    );
  }
}

function failedMessage(names: string[]): string {
  const list = names.map((n) => `'${n}'`).join(', ');
  return [
    `Failed migration(s) in the database: ${list}. No further migrations will be applied until resolved.`,
    'Fix the cause (each file runs in one transaction, so a failed one left no changes), then either',
    `  retry it:        UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name IN (${list}) AND finished_at IS NULL;`,
    '                  (what `prisma migrate resolve --rolled-back <name>` does), and run `npm run db:migrate` again;',
    `  or skip it, if you applied its changes by hand:`,
    `                  UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE migration_name IN (${list}) AND finished_at IS NULL;`,
  ].join('\n');
}

async function readLocalMigrations(dir: string): Promise<LocalMigration[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new MigrationError(`${file} is missing`);
      const bytes = await readFile(file);
      return {
        name,
        sql: bytes.toString('utf8'),
        checksum: createHash('sha256').update(bytes).digest('hex'),
      };
    }),
  );
}

/** Creates the database named in the URL when it does not exist (via the `postgres` db). */
export async function ensureDatabase(
  connectionString: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const probe = new pg.Client({ connectionString });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // invalid_catalog_name
  } finally {
    await probe.end().catch(() => {});
  }

  const url = new URL(connectionString);
  const database = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    log(`created database ${database}`);
  } catch (error) {
    // Created meanwhile by a concurrent run: duplicate_database, or a unique_violation on
    // pg_database when both CREATEs got that far.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await admin.end();
  }
}

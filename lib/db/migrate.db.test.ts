import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, MigrationError } from './migrate';

const migrationsDir = path.resolve('prisma/migrations');
const committed = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flashgate_test';
const suffix = randomBytes(4).toString('hex');
const databases: string[] = [];
const tmpDirs: string[] = [];

/** A URL for a scratch database that does not exist yet (applyMigrations creates it). */
function scratchUrl(tag: string): string {
  const name = `flashgate_test_migrate_${suffix}_${tag}`;
  databases.push(name);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(connectionString: string, sql: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function migrationsFixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flashgate-migrate-test-'));
  tmpDirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeMigration(dir, name, sql);
  return dir;
}

function writeMigration(dir: string, name: string, sql: string) {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

afterAll(async () => {
  const url = new URL(base);
  url.pathname = '/postgres';
  for (const name of databases) {
    await query(url.toString(), `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  }
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

describe('applyMigrations on the committed migrations', () => {
  const url = scratchUrl('main');

  it('creates the database and applies every migration', async () => {
    const { applied } = await applyMigrations({ connectionString: url, migrationsDir });
    expect(applied).toEqual(committed);
    const tables = await query<{ t: string }>(
      url,
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.map((r) => r.t)).toEqual(['_prisma_migrations', 'audit_log', 'orders', 'sales']);
  });

  it('applies nothing the second time', async () => {
    expect(await applyMigrations({ connectionString: url, migrationsDir })).toEqual({
      applied: [],
      warnings: [],
    });
  });

  it('records each migration as Prisma does', async () => {
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
      applied_steps_count: number;
    }>(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(committed);
    for (const row of rows) {
      const sql = readFileSync(path.join(migrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });
});

describe('applyMigrations with a broken migration', () => {
  const url = scratchUrl('broken');
  const dir = migrationsFixture({
    '001_ok': 'CREATE TABLE a (id int);',
    '002_broken': 'CREATE TABLE b (id int);\nSELEC 1;',
    '003_later': 'CREATE TABLE c (id int);',
  });

  it('records the failure and rolls the file back', async () => {
    await expect(applyMigrations({ connectionString: url, migrationsDir: dir })).rejects.toThrow(
      /002_broken failed/,
    );
    const rows = await query<{ migration_name: string; finished_at: Date | null; logs: string | null }>(
      url,
      'SELECT migration_name, finished_at, logs FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.finished_at === null])).toEqual([
      ['001_ok', false],
      ['002_broken', true],
    ]);
    expect(rows[1]!.logs).toMatch(/syntax error/);
    const tables = await query<{ t: string | null }>(url, "SELECT to_regclass('b')::text AS t");
    expect(tables[0]!.t).toBeNull();
  });

  it('refuses further migrations until resolved', async () => {
    writeMigration(dir, '002_broken', 'CREATE TABLE b (id int);');
    const run = applyMigrations({ connectionString: url, migrationsDir: dir });
    await expect(run).rejects.toBeInstanceOf(MigrationError);
    await expect(run).rejects.toThrow(/Failed migration.*'002_broken'.*rolled_back_at/s);
    expect(await query(url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '003_later'")).toEqual([]);
  });

  it('goes on once the failure is marked rolled back', async () => {
    await query(
      url,
      "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '002_broken' AND finished_at IS NULL",
    );
    const { applied } = await applyMigrations({ connectionString: url, migrationsDir: dir });
    expect(applied).toEqual(['002_broken', '003_later']);
  });

  it('warns when an applied migration was modified', async () => {
    writeMigration(dir, '001_ok', 'CREATE TABLE a (id bigint);');
    const { applied, warnings } = await applyMigrations({ connectionString: url, migrationsDir: dir });
    expect(applied).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/001_ok.*modified/)]);
  });
});

describe('applyMigrations run twice at once', () => {
  it('applies each migration once', async () => {
    const url = scratchUrl('race');
    const runs = await Promise.all([
      applyMigrations({ connectionString: url, migrationsDir }),
      applyMigrations({ connectionString: url, migrationsDir }),
    ]);
    expect(runs.flatMap((r) => r.applied).sort()).toEqual(committed);
    const rows = await query(url, 'SELECT migration_name FROM _prisma_migrations');
    expect(rows).toHaveLength(committed.length);
  });
});

// Migrations without a native schema engine (see scripts/prisma.mjs).
//
//   npm run db:migrate                    create the database if missing, apply every pending migration
//   npm run db:migration:new -- <name>    write prisma/migrations/<timestamp>_<name>/ from the schema change
//
// `prisma migrate dev` needs a shadow database, which the WebAssembly engine cannot drive reliably
// through a driver adapter. Instead prisma/migrations/schema.snapshot.prisma holds the schema the
// migrations add up to; a new migration is the diff from that snapshot to prisma/schema.prisma,
// computed by `prisma migrate diff` entirely offline, and the snapshot then moves up to the schema.
import "dotenv/config";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { runCli } from "../src/runCli.js";

const MIGRATIONS = "prisma/migrations";
const SCHEMA = "prisma/schema.prisma";
/** The schema the migrations add up to: what the next offline diff starts from. */
const SNAPSHOT = join(MIGRATIONS, "schema.snapshot.prisma");

function prisma(args: string[], capture = false): string {
  if (capture) return execFileSync(process.execPath, ["scripts/prisma.mjs", ...args], { encoding: "utf8" });
  const r = spawnSync(process.execPath, ["scripts/prisma.mjs", ...args], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  return "";
}

async function ensureDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const server = new URL(url);
  server.pathname = "/postgres";
  const client = new pg.Client({ connectionString: server.toString() });
  try {
    await client.connect();
  } catch (error) {
    console.error(`Cannot reach PostgreSQL at ${target.host} (${(error as Error).message}). Start it, or fix DATABASE_URL.`);
    process.exit(1);
  }
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (!rowCount) {
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    console.error(`Created database ${name}.`);
  }
  await client.end();
}

function migrationFolders(): string[] {
  return readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

async function deploy() {
  await ensureDatabase(process.env.DATABASE_URL!);
  const pending = await pendingMigrations(process.env.DATABASE_URL!);
  if (pending === 0) {
    console.error(`The database is up to date (${migrationFolders().length} migrations applied).`);
    return;
  }
  prisma(["migrate", "deploy"]);
}

/**
 * How many migration folders Postgres has no finished, unchanged record of. Starting Prisma's
 * WebAssembly engine takes many seconds, so a deploy with nothing to do answers from
 * `_prisma_migrations` alone. Anything unusual (no table yet, a failed or edited migration) counts
 * as pending, and Prisma itself then decides and reports.
 */
async function pendingMigrations(url: string): Promise<number> {
  const folders = migrationFolders();
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      "SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const { rows: failed } = await client.query("SELECT 1 FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL LIMIT 1");
    if (failed.length) return folders.length;
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const checksum = (folder: string) =>
      createHash("sha256")
        .update(readFileSync(join(MIGRATIONS, folder, "migration.sql")))
        .digest("hex");
    return folders.filter((f) => applied.get(f) !== checksum(f)).length;
  } catch {
    return folders.length;
  } finally {
    await client.end().catch(() => {});
  }
}

function create(name: string | undefined) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("Usage: npm run db:migration:new -- <name>   (lower-case letters, digits and _)");
    process.exit(1);
  }
  if (migrationFolders().length && !existsSync(SNAPSHOT)) {
    console.error(`${SNAPSHOT} is missing: restore it from git (it is the schema the migrations add up to).`);
    process.exit(1);
  }
  const from = existsSync(SNAPSHOT) ? ["--from-schema-datamodel", SNAPSHOT] : ["--from-empty"];
  const sql = prisma(["migrate", "diff", ...from, "--to-schema-datamodel", SCHEMA, "--script"], true);
  if (!/^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)/m.test(sql)) {
    console.error("The schema has no changes since the latest migration: nothing to write.");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = join(MIGRATIONS, `${stamp}_${name}`);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  copyFileSync(SCHEMA, SNAPSHOT);
  console.error(`Wrote ${dir}/migration.sql — review it, then run npm run db:migrate.`);
}

const [command, arg] = process.argv.slice(2);
await runCli(async () => {
  // prisma.config.ts reads DATABASE_URL; hand the CLI the validated value, with its default applied.
  process.env.DATABASE_URL = loadConfig().databaseUrl;
  if (command === "deploy") await deploy();
  else if (command === "new") create(arg);
  else {
    console.error("Usage: tsx scripts/migrate.ts deploy | new <name>");
    process.exit(1);
  }
});

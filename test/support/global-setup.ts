// Creates one migrated template database per test run, using the project's real migration command,
// then drops it (and every per-file clone) when the run ends.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { adminUrl, databaseUrl } from "./urls.js";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = `${process.hrtime.bigint().toString(36)}${randomBytes(3).toString("hex")}`;
  const template = `peerlink_test_${runId}_tpl`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Tests need PostgreSQL at ${adminUrl()} (set TEST_DATABASE_URL): ${(error as Error).message}`, { cause: error });
  }
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();

  execFileSync("npm", ["run", "--silent", "db:migrate"], {
    env: { ...process.env, DATABASE_URL: databaseUrl(template) },
    stdio: ["ignore", "ignore", "inherit"],
  });

  project.provide("templateDb", template);
  project.provide("runId", runId);

  return async () => {
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`peerlink_test_${runId}_%`]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await c.end();
  };
}

// `npm run db:migrate` on a database that has every migration answers from `_prisma_migrations`
// without starting Prisma's engine; anything else is left to Prisma.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const run = promisify(execFile);
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const migrate = (url: string) =>
  run(process.execPath, ["--import", "tsx", "scripts/migrate.ts", "deploy"], { env: { ...process.env, DATABASE_URL: url } });

it("says the database is up to date without starting Prisma when every migration is applied", async () => {
  const { stdout, stderr } = await migrate(t.url);
  expect(stderr).toMatch(/^The database is up to date \(\d+ migrations applied\)\.\n$/);
  expect(stdout).not.toContain("Prisma");
});

it("hands a migration recorded with another checksum (an edited file) to Prisma, which reports it", async () => {
  await t.db
    .$executeRaw`UPDATE _prisma_migrations SET checksum = 'edited' WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)`;
  const { stdout, stderr } = await migrate(t.url);
  expect(stderr).not.toContain("up to date (");
  expect(stdout + stderr).toMatch(/migrations? found in prisma\/migrations|modified after it was applied|No pending migrations/i);
}, 120_000);

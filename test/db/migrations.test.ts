// The template database every test file clones was migrated from empty by the real
// `npm run db:migrate` (test/support/global-setup.ts); these specs check what that produced.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchName } from "../../src/core/text.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const folders = () =>
  readdirSync("prisma/migrations", { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

describe("migrations", () => {
  it("applied every migration folder, in order, from an empty database", async () => {
    const rows = await t.db.$queryRaw<Array<{ migration_name: string; finished_at: Date | null }>>`
      SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(folders());
    expect(rows.every((r) => r.finished_at)).toBe(true);
  });

  it("installs pg_trgm and the trigram index name search relies on", async () => {
    const ext = await t.db.$queryRaw<unknown[]>`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`;
    expect(ext).toHaveLength(1);
    const idx = await t.db.$queryRaw<Array<{ indexdef: string }>>`
      SELECT indexdef FROM pg_indexes WHERE indexname = 'researcher_search_name_trgm'`;
    expect(idx[0]?.indexdef).toMatch(/USING gin \(search_name gin_trgm_ops\)/);
  });

  it("folds stored names in SQL exactly as searchName folds them in TypeScript", async () => {
    // The search_name_folding migration rewrote existing rows with its own copy of the letter table.
    const sql = readFileSync("prisma/migrations/20261125060000_search_name_folding/migration.sql", "utf8");
    const expression = /SET "search_name" = (.+)\n/.exec(sql)![1]!.replaceAll('"search_name"', "$1::text");
    for (const name of ["Łukasz Błaszczyk", "Søren Ægir Þórsson", "Đorđe Ðuro", "Straße", "Yıldız", "Œuvre Ħal Ŧest"]) {
      const lower = name
        .normalize("NFKD")
        .replace(/\p{M}+/gu, "")
        .toLowerCase();
      const [row] = await t.db.$queryRawUnsafe<Array<{ folded: string }>>(`SELECT ${expression} AS folded`, lower);
      expect(row!.folded, name).toBe(searchName(name));
    }
  });

  it("keeps status and the delivery lease out of every invitation index, so delivery updates stay heap-only", async () => {
    const rows = await t.db.$queryRaw<Array<{ indexdef: string }>>`SELECT indexdef FROM pg_indexes WHERE tablename = 'invitation'`;
    expect(rows.map((r) => r.indexdef).join("\n")).toMatch(/invitation_one_pending_per_sender.*WHERE pending/);
    for (const { indexdef } of rows) expect(indexdef).not.toMatch(/\b(status|delivery_lease_until)\b/);
  });

  it("has a migration for every change in schema.prisma (no drift from the migrations' snapshot)", () => {
    // --exit-code: 0 = no difference, 2 = the schema changed without a migration.
    const run = () =>
      execFileSync(
        process.execPath,
        [
          "scripts/prisma.mjs",
          "migrate",
          "diff",
          "--from-schema-datamodel",
          "prisma/migrations/schema.snapshot.prisma",
          "--to-schema-datamodel",
          "prisma/schema.prisma",
          "--exit-code",
        ],
        { stdio: "pipe", env: { ...process.env, DATABASE_URL: t.url } },
      );
    expect(run).not.toThrow();
  });
});

describe("demo seed", () => {
  it("loads the reference researcher with 8 works and is idempotent", async () => {
    const first = await seedDemo(t.db);
    const counts = async () => ({
      researchers: await t.db.researcher.count(),
      works: await t.db.work.count(),
      authorships: await t.db.authorship.count(),
      topics: await t.db.topic.count(),
    });
    const before = await counts();
    const second = await seedDemo(t.db);
    expect(second.researcherId).toBe(first.researcherId);
    expect(await counts()).toEqual(before);
    expect(before.works).toBe(8);
    expect(await t.db.authorship.count({ where: { researcherId: first.researcherId } })).toBe(8);
  });
});

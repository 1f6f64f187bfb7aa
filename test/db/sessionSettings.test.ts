// Every connection createDb opens carries the name search's trigram thresholds, so a fuzzy lookup
// is one plain statement: no transaction that could wait for a pool connection under load; and JIT
// is off, which cost the intro search 327 ms of compiling per statement.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCore } from "../../src/core/Core.js";
import type { CommandContext } from "../../src/core/context.js";
import { JIT, TRIGRAM_SIMILARITY_THRESHOLD, TRIGRAM_WORD_SIMILARITY_THRESHOLD } from "../../src/db/sessionSettings.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { testClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
});
afterAll(() => t.drop());

const ctx: CommandContext = {
  actor: { platform: "console", tenantId: "local", userId: "tester" },
  permissions: { canManageChannel: false, isAdmin: false },
};

it("starts every pooled connection with the search's trigram thresholds", async () => {
  const rows = await Promise.all(
    Array.from(
      { length: 4 },
      () =>
        t.db.$queryRaw<{ s: string; w: string }[]>`
        SELECT current_setting('pg_trgm.similarity_threshold') AS s, current_setting('pg_trgm.word_similarity_threshold') AS w`,
    ),
  );
  for (const [row] of rows) expect(row).toEqual({ s: String(TRIGRAM_SIMILARITY_THRESHOLD), w: String(TRIGRAM_WORD_SIMILARITY_THRESHOLD) });
});

it("starts every pooled connection without JIT compilation, so a plan estimated above jit_above_cost is not compiled", async () => {
  const settings = await Promise.all(Array.from({ length: 4 }, () => t.db.$queryRaw<{ jit: string }[]>`SELECT current_setting('jit') AS jit`));
  for (const [row] of settings) expect(row).toEqual({ jit: JIT });
  // Planned, not run: a join the planner estimates at 25 million, far above jit_above_cost (100,000
  // by default). With JIT on, EXPLAIN lists the functions it would compile.
  const [plan] = await t.db.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(
    "EXPLAIN (FORMAT JSON) SELECT count(*) FROM generate_series(1, 1000000) a, generate_series(1, 1000) b WHERE a + b = 5",
  );
  const [explained] = plan!["QUERY PLAN"] as Array<{ Plan: { "Total Cost": number }; JIT?: unknown }>;
  expect(explained!.Plan["Total Cost"]).toBeGreaterThan(1_000_000);
  expect(explained).not.toHaveProperty("JIT");
});

it("finds a typo'd name without opening a transaction", async () => {
  const core = createCore({ clock: testClock(), db: t.db, log: { error: () => {} } });
  let transactions = 0;
  const original = t.db.$transaction.bind(t.db);
  t.db.$transaction = ((...args: Parameters<typeof original>) => (transactions++, original(...args))) as typeof original;
  try {
    const { reply } = await core.router.handleText("Jonathon Frankel", ctx);
    expect(reply).toMatchObject({ kind: "card", title: "Jonathan Frankle" });
  } finally {
    t.db.$transaction = original;
  }
  expect(transactions).toBe(0);
});

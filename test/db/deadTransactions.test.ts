// A connection that dies inside a Prisma transaction (Postgres restarting, a backend terminated)
// must give its pool slot back: otherwise a process stalls for want of connections after a
// restart, and $disconnect() waits forever at shutdown (the fault suite found both).
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db, sqlPool } from "../../src/db/client.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { adminUrl } from "../support/urls.js";

let t: TestDatabase;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = createDb(t.url, { poolSize: 2 });
});
afterAll(() => t.drop());

/** Terminates (from outside, as a Postgres restart would) every backend of this database running `marker`. */
async function terminate(marker: string): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    for (;;) {
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%' || $2 || '%' AND pid <> pg_backend_pid()",
        [t.name, marker],
      );
      if (rows.length) {
        await admin.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [rows.map((r) => r.pid)]);
        return rows.length;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await admin.end();
  }
}

it("releases the slots of transactions whose connection died, so the pool keeps serving and disconnects", async () => {
  const marker = `dies_${Math.random().toString(36).slice(2)}`;
  // Both of the pool's connections, each killed in the middle of a transaction.
  const failures = [0, 1].map(() =>
    db
      .$transaction(async (tx) => {
        await tx.$queryRawUnsafe(`SELECT pg_sleep(30) AS ${marker}`);
      })
      .then(
        () => "committed",
        (error: unknown) => String(error),
      ),
  );
  let killed = 0;
  while (killed < 2) killed += await terminate(marker);
  for (const failure of await Promise.all(failures)) expect(failure).toMatch(/terminating connection/);

  // With the slots leaked, this would wait for a connection for ever.
  const [row] = await db.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`;
  expect(row?.ok).toBe(1);
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1`;
  });
  expect(sqlPool(db).totalCount - sqlPool(db).idleCount).toBe(0);
  await db.$disconnect();
}, 20_000);

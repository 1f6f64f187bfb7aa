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

it("survives connections dying at any moment under load: no uncaught error, every slot back, a clean disconnect", async () => {
  const busy = createDb(t.url, { poolSize: 4 });
  let stop = false;
  let done = 0;
  let failed = 0;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // Interactive transactions (idle between statements), batches and plain statements, all at once.
  const work = [
    () =>
      busy.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await pause(2);
        await tx.$queryRaw`SELECT pg_sleep(0.002)`;
      }),
    () => busy.$queryRaw`SELECT pg_sleep(0.003)`,
    () => busy.$transaction([busy.$queryRaw`SELECT 1`, busy.$queryRaw`SELECT 2`]),
  ];
  const loops = Array.from({ length: 9 }, async (_, i) => {
    while (!stop) {
      try {
        await work[i % work.length]!();
        done++;
      } catch {
        failed++;
        await pause(5);
      }
    }
  });
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    for (let k = 0; k < 20; k++) {
      await pause(40 + (k % 4) * 20);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [t.name]);
    }
  } finally {
    stop = true;
    await Promise.all(loops);
    await admin.end();
  }
  expect(failed).toBeGreaterThan(0);
  expect(done).toBeGreaterThan(0);
  const [row] = await busy.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`;
  expect(row?.ok).toBe(1);
  expect(sqlPool(busy).totalCount - sqlPool(busy).idleCount).toBe(0);
  await busy.$disconnect();
}, 30_000);

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.js";
import { SESSION_OPTIONS } from "./sessionSettings.js";

export type Db = PrismaClient;
export { Prisma } from "./generated/client.js";
export type * from "./generated/client.js";

const pools = new WeakMap<Db, pg.Pool>();

/** A Prisma client that talks to Postgres through node-postgres (no native query engine). */
export function createDb(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10, options: SESSION_OPTIONS });
  releaseDeadTransactions(pool);
  // $disconnect() ends the pool too.
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * A connection that dies inside a Prisma transaction (Postgres restarted, the backend terminated) is
 * never given back: the failed ROLLBACK ends Prisma's transaction before the adapter releases its
 * client. Each one leaks a pool slot for good, so a busy process stalls for want of connections
 * after a Postgres restart, and $disconnect() waits forever at shutdown. Here a checked-out client
 * whose connection ended is released with an error, which drops it from the pool; the adapter's own
 * later release, if it comes, is a no-op.
 */
function releaseDeadTransactions(pool: pg.Pool): void {
  const checkedOut = new Set<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_err, client) => checkedOut.delete(client));
  pool.on("connect", (client) => {
    // A connection that dies between two statements of a checked-out client (Postgres shutting
    // down) emits "error" on it, and node-postgres listens only while a client is idle: unheard, the
    // error would end the process. Its holder learns of it from its next statement failing.
    client.on("error", () => {});
    client.once("end", () => {
      if (!checkedOut.has(client)) return;
      const release = client.release.bind(client);
      client.release = () => {};
      release(new Error("connection ended while checked out"));
    });
  });
}

/**
 * The node-postgres pool under a client made by createDb, for the few hot statements that run
 * thousands of times a second (see DeliveryLedger): those are named prepared statements, planned
 * once per connection, and their rows skip Prisma's result mapping. Everything else uses Prisma.
 */
export function sqlPool(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("sqlPool: this Prisma client was not made by createDb");
  return pool;
}

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
  surviveDeadConnections(pool);
  // $disconnect() ends the pool too.
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * What node-postgres and Prisma's adapter leave undone when a connection dies under its holder
 * (Postgres restarted, the backend terminated):
 *
 * - Its "error" event: node-postgres listens only while a client is idle, so a connection that dies
 *   between two statements of its holder would end the process unheard. Every client gets a
 *   listener; the holder learns of it from its next statement failing.
 * - Its pool slot: inside a Prisma transaction the failed ROLLBACK ends the transaction before the
 *   adapter releases its client, so each such slot was lost for good (a busy process stalled after a
 *   Postgres restart, and $disconnect() waited forever at shutdown). A checked-out client whose
 *   connection ended is released with an error, which drops it from the pool; the adapter's own
 *   later release, if it comes, is a no-op.
 */
function surviveDeadConnections(pool: pg.Pool): void {
  const checkedOut = new Set<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_err, client) => checkedOut.delete(client));
  pool.on("connect", (client) => {
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

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
  // $disconnect() ends the pool too.
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
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

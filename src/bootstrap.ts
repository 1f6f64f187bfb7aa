// Start-up checks shared by every entry point: a missing or unreachable dependency stops start-up
// with one line that says what to set or start.
import { Redis } from "ioredis";
import type { Config } from "./config.js";
import { createDb, type Db } from "./db/client.js";

export class StartupError extends Error {
  override name = "StartupError";
}

export async function connectDatabase(config: Config): Promise<Db> {
  const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
  const where = safeHost(config.databaseUrl);
  try {
    await db.$queryRaw`SELECT 1 FROM researcher LIMIT 1`;
  } catch (error) {
    await db.$disconnect().catch(() => {});
    const message = (error as Error).message ?? "";
    if (/relation .* does not exist|P2021/.test(message)) {
      throw new StartupError(`PostgreSQL at ${where} has no Peerlink tables. Run: npm run db:migrate`);
    }
    if (/database .* does not exist/.test(message)) {
      throw new StartupError(`The database in DATABASE_URL (${where}) does not exist. Run: npm run db:migrate (it creates it)`);
    }
    throw new StartupError(`Cannot reach PostgreSQL at ${where}: start it or fix DATABASE_URL (${firstLine(message)})`);
  }
  return db;
}

export async function connectRedis(config: Config): Promise<Redis> {
  // BullMQ needs maxRetriesPerRequest: null on connections used by workers.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true, enableOfflineQueue: false });
  redis.on("error", () => {}); // reported below; afterwards ioredis reconnects on its own
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StartupError(`Cannot reach Redis at ${safeHost(config.redisUrl)}: start it or fix REDIS_URL (${firstLine((error as Error).message)})`);
  }
  return redis;
}

/** host:port/db of a connection URL, without credentials, for messages. */
function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "default port"}${u.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

/** Prisma wraps driver errors in several lines; the last one names the cause. */
const firstLine = (s: string) =>
  s
    .split("\n")
    .filter((l) => l.trim())
    .at(-1)
    ?.trim() ?? s;

// What /health and /health/ready ask of a process: Postgres and Redis answer (every role needs
// both), and the platform connections its roles hold are up.
import type { Redis } from "ioredis";
import type { Db } from "../db/client.js";
import type { HttpServer } from "./HttpServer.js";

export interface HealthDeps {
  db: Db;
  redis: Redis;
}

export function registerHealthChecks(http: HttpServer, { db, redis }: HealthDeps): void {
  http.healthCheck("postgres", async () => Boolean(await db.$queryRaw`SELECT 1`));
  // The connection has no offline queue: while Redis is away this fails at once instead of waiting.
  http.healthCheck("redis", async () => (await redis.ping()) === "PONG");
}

/** A platform connection for /health/ready, e.g. the Discord gateway. */
export function registerPlatformReadiness(http: HttpServer, name: string, connected: () => boolean): void {
  http.readinessCheck(name, () => Promise.resolve(connected()));
}

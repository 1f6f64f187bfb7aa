// /health/live, /health/ready and /health on the real HttpServer with the checks main.ts registers,
// against the real Postgres and either the real Redis or a port where nothing listens (the shared
// Redis is never stopped).
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerHealthChecks, registerPlatformReadiness } from "../../src/http/healthChecks.js";
import { HttpServer } from "../../src/http/HttpServer.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

let t: TestDatabase;
const open: Array<{ http: HttpServer; redis: Redis }> = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  for (const { http, redis } of open.splice(0)) {
    await http.close();
    redis.disconnect();
  }
});
afterAll(async () => {
  await t?.drop();
});

/** A server as main.ts sets it up; Redis is connected the way connectRedis connects it. */
async function serverWith(redisUrl: string, platformUp?: () => boolean) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true, enableOfflineQueue: false });
  redis.on("error", () => {});
  await redis.connect().catch(() => {});
  const http = new HttpServer();
  registerHealthChecks(http, { db: t.db, redis });
  if (platformUp) registerPlatformReadiness(http, "discord", platformUp);
  const port = await http.listen(0, "127.0.0.1");
  open.push({ http, redis });
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.json() };
  };
  return { http, get };
}

describe("health endpoints", () => {
  it("are all 200 with Postgres, Redis and the platform up", async () => {
    const { get } = await serverWith(t.redisUrl, () => true);
    expect(await get("/health/live")).toEqual({ status: 200, body: { ok: true } });
    expect(await get("/health/ready")).toEqual({ status: 200, body: { ok: true, checks: { postgres: true, redis: true, discord: true } } });
    expect(await get("/health")).toEqual({ status: 200, body: { ok: true, checks: { postgres: true, redis: true } } });
  });

  it("ready is 503 when Redis cannot be reached; live stays 200", async () => {
    const { get } = await serverWith("redis://127.0.0.1:1");
    expect(await get("/health/ready")).toEqual({ status: 503, body: { ok: false, checks: { postgres: true, redis: false } } });
    expect((await get("/health")).status).toBe(503);
    expect(await get("/health/live")).toEqual({ status: 200, body: { ok: true } });
  });

  it("ready is 503 while the platform connection is down; /health keeps to Postgres and Redis", async () => {
    const { get } = await serverWith(t.redisUrl, () => false);
    expect(await get("/health/ready")).toEqual({ status: 503, body: { ok: false, checks: { postgres: true, redis: true, discord: false } } });
    expect((await get("/health")).status).toBe(200);
  });

  it("ready is 503 once the process drains for shutdown", async () => {
    const { http, get } = await serverWith(t.redisUrl);
    http.drain();
    expect(await get("/health/ready")).toEqual({ status: 503, body: { ok: false, checks: { postgres: true, redis: true }, draining: true } });
    expect((await get("/health/live")).status).toBe(200);
  });
});

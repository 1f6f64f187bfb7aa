// Packaging (#16): `npm run build` compiles the bot to JavaScript, and the built entry point runs
// without tsx: it starts as an `http` process, answers its health probes and exits 0 on SIGTERM. The
// compiled migration command runs too. The compose file's processes use roles the bot accepts.
// Builds once (tsc, 20-60 s on a 2-core machine) into a directory of its own, removed afterwards.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ROLES } from "../src/config.js";
import { createTestDatabase, type TestDatabase } from "./support/db.js";
import { type PeerlinkProcess, spawnPeerlink, stopAll, TSX_ENTRY } from "./support/spawnPeerlink.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 240_000 });

const run = promisify(execFile);
// Inside the project, so the built files find node_modules as dist/ does.
const OUT = `node_modules/.cache/peerlink-build-${randomBytes(4).toString("hex")}`;
let t: TestDatabase;
// Without a chat platform the bot logs warnings only, and so would never say "peerlink started".
const env = () => ({ DATABASE_URL: t.url, REDIS_URL: t.redisUrl, REDIS_PREFIX: t.redisPrefix, PEERLINK_ROLES: "http", LOG_LEVEL: "debug" });

/** Resident memory of a running process in MB, from /proc (Linux); undefined elsewhere. */
function rssMb(pid: number | undefined): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [t] = await Promise.all([createTestDatabase(), run("npm", ["run", "--silent", "build", "--", "--outDir", OUT], { maxBuffer: 16 << 20 })]);
});

afterAll(async () => {
  await stopAll();
  await t?.drop();
  await rm(OUT, { recursive: true, force: true });
});

describe("the built bot", () => {
  let built: PeerlinkProcess;

  beforeAll(async () => {
    built = await spawnPeerlink(env(), [], { entry: [`${OUT}/src/main.js`] });
  });

  it("starts from dist/src/main.js as an http process and answers its health probes", async () => {
    expect(built.stderr()).toMatch(/"roles":\["http"\]/);
    expect((await fetch(built.url("/health/live"))).status).toBe(200);
    const ready = await fetch(built.url("/health/ready"));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, checks: { postgres: true, redis: true } });
    expect((await fetch(built.url("/metrics"))).status).toBe(200);
  });

  it("measures the idle memory of the built process and of the same process under tsx (printed for the README)", async () => {
    const tsx = await spawnPeerlink(env(), [], { entry: TSX_ENTRY });
    await idle(3000);
    const figures = { built: rssMb(built.child.pid), tsx: rssMb(tsx.child.pid) };
    console.log(`idle RSS, roles http: built ${figures.built} MB, tsx ${figures.tsx} MB`);
    tsx.child.kill("SIGTERM");
    expect(await tsx.exited).toBe(0);
  });

  it("exits 0 on SIGTERM", async () => {
    built.child.kill("SIGTERM");
    expect(await built.exited).toBe(0);
    expect(built.stderr()).toContain('"msg":"stopped"');
  });

  it("runs the compiled migration command: nothing pending on a migrated database", async () => {
    // execFile rejects on a non-zero exit.
    await run(process.execPath, [`${OUT}/scripts/migrate.js`, "deploy"], { env: { ...process.env, DATABASE_URL: t.url } });
  });
});

describe("docker-compose.yml", () => {
  const compose = readFileSync("docker-compose.yml", "utf8");
  const rolesIn = [...compose.matchAll(/PEERLINK_ROLES:\s*"?([\w,]+)"?/g)].map((m) => m[1]!);

  it("runs slack+http, discord and workers processes, each with roles the bot accepts", () => {
    expect(rolesIn.sort()).toEqual(["discord", "slack,http", "workers"]);
    for (const role of rolesIn.flatMap((r) => r.split(","))) expect(ROLES).toContain(role);
    // Two workers processes: one service with two replicas.
    expect(compose).toMatch(/workers:[\s\S]*?replicas: 2/);
  });
});

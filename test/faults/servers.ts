// Servers the fault suite may break: its own redis-server (no persistence) and its own PostgreSQL
// cluster (initdb into a temporary folder), each on a free port, so that killing and restarting them
// never touches the shared services on 5432 and 6379. Everything started here is killed, and the
// cluster's folder removed, when the suite ends: by stop(), and by process-exit hooks if a failure
// or a signal cuts the suite short.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { Redis } from "ioredis";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/**
 * PostgreSQL refuses to run as root: as root (a container, CI), the cluster runs as the OS user
 * `postgres` (PG_OS_USER), which owns its folder.
 */
function clusterUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const name = process.env.PG_OS_USER ?? "postgres";
  const line = execFileSync("id", ["-u", name]).toString().trim();
  const group = execFileSync("id", ["-g", name]).toString().trim();
  return { uid: Number(line), gid: Number(group) };
}

const children = new Set<ChildProcess>();
const folders = new Set<string>();
let hooked = false;

/** Kills whatever is still running and removes the folders, synchronously (safe in an exit hook). */
function cleanUpNow(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", cleanUpNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      cleanUpNow();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(50);
  }
}

function track(child: ChildProcess, name: string, log: string[]): ChildProcess {
  children.add(child);
  child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.on("exit", () => children.delete(child));
  child.on("error", (err) => log.push(`${name}: ${err.message}`));
  return child;
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once("exit", () => r()));

export interface OwnRedis {
  url: string;
  port: number;
  /** SIGKILL: every key is gone (nothing is persisted). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  hookExit();
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const log: string[] = [];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = track(
      spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"], {
        stdio: ["ignore", "pipe", "pipe"],
      }),
      "redis-server",
      log,
    );
    await until(
      async () => {
        const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        probe.on("error", () => {});
        try {
          await probe.connect();
          return (await probe.ping()) === "PONG";
        } finally {
          probe.disconnect();
        }
      },
      `redis-server on ${port}: ${log.join("")}`,
    );
  };
  const kill = async () => {
    if (!child) return;
    const dying = child;
    dying.kill("SIGKILL");
    await exitOf(dying);
    child = undefined;
  };
  await start();
  return { url, port, kill, start, stop: kill };
}

export interface OwnPostgres {
  port: number;
  /** A connection URL to `database` on this cluster (as the superuser `postgres`, trust auth). */
  url(database: string): string;
  /** Fast shutdown (SIGINT: clients are disconnected, open transactions rolled back), then start again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  hookExit();
  const dir = mkdtempSync(join(tmpdir(), "peerlink-faults-pg-"));
  folders.add(dir);
  const data = join(dir, "data");
  const owner = clusterUser();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  execFileSync(join(PG_BIN, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale", "C"], {
    stdio: ["ignore", "ignore", "pipe"],
    ...owner,
  });
  const port = await freePort();
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const log: string[] = [];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = track(
      spawn(
        join(PG_BIN, "postgres"),
        // Durability is not what this cluster is for: a fast shutdown still checkpoints, and nothing
        // here survives the suite.
        [
          "-D",
          data,
          "-p",
          String(port),
          "-k",
          dir,
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "fsync=off",
          "-c",
          "synchronous_commit=off",
          "-c",
          "full_page_writes=off",
          "-c",
          "max_connections=200",
        ],
        { stdio: ["ignore", "pipe", "pipe"], ...owner },
      ),
      "postgres",
      log,
    );
    await until(
      async () => {
        const c = new pg.Client({ connectionString: url("postgres") });
        try {
          await c.connect();
          await c.query("SELECT 1");
          return true;
        } finally {
          await c.end().catch(() => {});
        }
      },
      `postgres on ${port}: ${log.join("").slice(-2000)}`,
    );
  };
  const shutdown = async (signal: NodeJS.Signals) => {
    if (!child) return;
    const dying = child;
    dying.kill(signal);
    await exitOf(dying);
    child = undefined;
  };
  await start();
  return {
    port,
    url,
    async restart() {
      await shutdown("SIGINT");
      await start();
    },
    async stop() {
      await shutdown("SIGINT");
      rmSync(dir, { recursive: true, force: true });
      folders.delete(dir);
    },
  };
}

/** Stops every server this module started (for afterAll; the exit hook does the same on a crash). */
export function stopAllServers(): void {
  cleanUpNow();
}

// What the chat benchmarks share: a scratch database with the demo data, a child process (Peerlink's
// entry point or a baseline app) that logs its port, and its resident memory from /proc.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import pg from "pg";
import { createDb } from "../../src/db/client.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";

/** A database of its own, migrated and seeded with the demo data; drop() removes it. */
export async function scratchDatabase(server: string, tag: string) {
  const name = `peerlink_bench_${tag}_${process.pid}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: "/postgres" }).toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  execFileSync("npm", ["run", "-s", "db:migrate"], { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
  const db = createDb(url, { poolSize: 2 });
  await seedDemo(db);
  await db.$disconnect();
  return {
    url,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A process's resident memory now and at its peak, in MB (Linux /proc). */
export function rssMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { now: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

export interface Child {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/**
 * Runs `node <args>` with `env` and resolves once its stderr logs `"port":N … "msg":"<started>"`
 * (Peerlink's "peerlink started" line, or a baseline app's own).
 */
export async function startChild(args: string[], env: Record<string, string>, started = "peerlink started"): Promise<Child> {
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to look inside the app under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const pattern = new RegExp(`"port":(\\d+)[^\\n]*"msg":"${started}"`);
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      // Kept short: only start-up and failures are of interest.
      stderr = (stderr + chunk.toString()).slice(-20_000);
      const found = pattern.exec(stderr);
      if (found) resolve(Number(found[1]));
    });
    child.on("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}: ${stderr.slice(-2000)}`)));
  });
  return {
    child,
    port,
    output: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/**
 * Peerlink's entry point for a chat benchmark: under tsx as `npm start` runs it, or `built` as
 * production does (dist/src/main.js, after `npm run build`). Logs at info (its start-up line gives the
 * port), production mode, and lookups from local data only: `env` adds the database, Redis and the
 * platforms under test.
 */
export async function startPeerlink(env: Record<string, string>, { built = false } = {}): Promise<Child> {
  if (built && !existsSync("dist/src/main.js")) throw new Error("--built needs a build: run npm run build first");
  return startChild(built ? ["dist/src/main.js"] : ["--import", "tsx", "src/main.ts"], {
    PORT: "0",
    LOG_LEVEL: "info",
    NODE_ENV: "production",
    OPENALEX_API_URL: "http://127.0.0.1:9",
    OPENALEX_LIVE_LOOKUP: "false",
    ...env,
  });
}

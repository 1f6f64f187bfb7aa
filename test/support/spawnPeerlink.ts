// The real entry point (src/main.ts) in a child process, as `npm start` runs it, for specs about
// roles, health, metrics and shutdown. Every process a spec starts is killed by stopAll(), also
// when the spec failed.
import { type ChildProcess, spawn } from "node:child_process";

export interface PeerlinkProcess {
  child: ChildProcess;
  port: number;
  /** Everything the process logged so far (JSON lines on stderr). */
  stderr(): string;
  stdout(): string;
  url(path: string): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** How `npm start` runs the bot: TypeScript through tsx. */
export const TSX_ENTRY = ["--import", "tsx", "src/main.ts"];

/**
 * Starts src/main.ts with `env` over the test environment and resolves once it logs "peerlink started".
 * `entry`: node's arguments before `args`, e.g. a built `dist/src/main.js` instead of tsx.
 */
export async function spawnPeerlink(env: Record<string, string>, args: string[] = [], { entry = TSX_ENTRY } = {}): Promise<PeerlinkProcess> {
  const child = spawn(process.execPath, [...entry, ...args], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stderr = "";
  let stdout = "";
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const started = /"port":(\d+)[^\n]*"msg":"peerlink started"/.exec(stderr);
      if (started) resolve(Number(started[1]));
    });
    void exited.then((code) => reject(new Error(`peerlink exited with ${code} before starting: ${stderr}`)));
  });
  return {
    child,
    port,
    stderr: () => stderr,
    stdout: () => stdout,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    exited,
  };
}

/** Runs main.ts expecting it to refuse to start; resolves with its exit code and output. */
export async function runPeerlinkToExit(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  running.delete(child);
  return { code, output };
}

/** SIGKILLs every process still running; for afterAll/afterEach. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}

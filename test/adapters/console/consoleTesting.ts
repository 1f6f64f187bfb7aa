// What the console specs share: the one-shot CLI as a real process, and a stream that keeps what
// the interactive shell printed.
import { execFile } from "node:child_process";
import { Writable } from "node:stream";
import { promisify } from "node:util";

/** What `npm run console --` runs, without npm's start-up cost. */
export const CONSOLE_CLI = ["--import", "tsx", "src/adapters/console/cli.ts"];

const run = promisify(execFile);

/** Runs `npm run console -- <args>` once as a child process, with `env` over this process's environment. */
export function runConsoleOnce(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [...CONSOLE_CLI, ...args], { env: { ...process.env, ...env } });
}

/** A writable stream that keeps everything written to it, as text. */
export function textSink(): { stream: Writable; text(): string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

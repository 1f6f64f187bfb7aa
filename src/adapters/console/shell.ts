import { createInterface } from "node:readline/promises";
import { DEFAULT_CONSOLE_ADMINS } from "../../config.js";
import type { ConsoleAdapter } from "./ConsoleAdapter.js";
import type { ConsoleMessenger } from "./ConsoleMessenger.js";
import { renderArrival } from "./arrival.js";
import { consoleContext } from "./consoleContext.js";

export interface ShellOptions {
  /** Messages sent to local users appear in the shell as they are sent. */
  messenger?: ConsoleMessenger;
  /** Local admins (config CONSOLE_ADMINS), for the user /as switches to. */
  admins?: readonly string[];
}

const AS = /^\/as(?:\s+(\S+))?\s*$/i;

function whoLine(adapter: ConsoleAdapter, admins: readonly string[]): string {
  const { actor, permissions } = adapter.context;
  return `You are ${actor.displayName ?? actor.userId}${permissions.isAdmin ? " (an admin)" : ""}. Admins here: ${admins.join(", ") || "none"} (CONSOLE_ADMINS).`;
}

/**
 * Interactive shell: one command per line, until "exit", end of input or Ctrl-C. Input never
 * crashes it. `/as <name>` changes the local user; messages sent to local users appear as they go.
 */
export async function runShell(adapter: ConsoleAdapter, input = process.stdin, output = process.stdout, options: ShellOptions = {}): Promise<void> {
  const admins = options.admins ?? DEFAULT_CONSOLE_ADMINS;
  const rl = createInterface({ input, output, terminal: Boolean((input as { isTTY?: boolean }).isTTY) });
  const stopArrivals = options.messenger?.onArrival((entry) => output.write(`${renderArrival(entry, adapter.context)}\n`));
  // Ctrl-C at the prompt: end the shell on a fresh line, so the terminal's own prompt starts clean.
  rl.on("SIGINT", () => {
    output.write("\n");
    rl.close();
  });
  output.write(
    'Peerlink console. Type "/researcher help", a number to use an action, "/as <name>" to become another local user, or "exit".\n' +
      `${whoLine(adapter, admins)}\n`,
  );
  rl.setPrompt("peerlink> ");
  rl.prompt();
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (text === "exit" || text === "quit") break;
      const as = AS.exec(text);
      if (as?.[1]) adapter.actAs(consoleContext(as[1], admins));
      if (as) output.write(`${whoLine(adapter, admins)}\n`);
      else if (text) output.write(`${await adapter.answer(text)}\n`);
      rl.prompt();
    }
  } finally {
    stopArrivals?.();
    rl.close();
  }
}

import { createInterface } from "node:readline/promises";
import type { ConsoleAdapter } from "./ConsoleAdapter.js";

/** Interactive shell: one command per line, until "exit" or end of input. Input never crashes it. */
export async function runShell(adapter: ConsoleAdapter, input = process.stdin, output = process.stdout): Promise<void> {
  const rl = createInterface({ input, output, terminal: Boolean((input as { isTTY?: boolean }).isTTY) });
  output.write('Peerlink console. Type "/researcher help", a number to use an action, or "exit".\n');
  rl.setPrompt("peerlink> ");
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit") break;
    if (text) output.write(`${await adapter.answer(text)}\n`);
    rl.prompt();
  }
  rl.close();
}

// The interactive shell in a (pretend) terminal: who you are, /as, and leaving with Ctrl-C.
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/ConsoleAdapter.js";
import { consoleContext } from "../../../src/adapters/console/consoleContext.js";
import { runShell } from "../../../src/adapters/console/shell.js";
import { createCore } from "../../../src/core/Core.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

/** A stdin that readline treats as a terminal: keys arrive one by one, Ctrl-C included. */
function terminalInput() {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
}

function collect() {
  let text = "";
  const out = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += chunk;
        done();
      },
    }),
    { isTTY: true, columns: 120 },
  );
  return { out, text: () => text };
}

describe("the console shell", () => {
  it("leaves the terminal on a fresh line when Ctrl-C is pressed at the prompt", async () => {
    const input = terminalInput();
    const { out, text } = collect();
    const adapter = new ConsoleAdapter(createCore({ clock: testClock(), db: t.db, log: { error: () => {} } }), consoleContext("alice"));
    const done = runShell(adapter, input as unknown as typeof process.stdin, out as unknown as typeof process.stdout);
    setTimeout(() => input.write("\u0003"), 50);
    await done;
    // The prompt, the cursor moved after it, then the line ends: the terminal's own prompt starts at column 1.
    expect(text()).toMatch(/peerlink> (\u001b\[\d+G)?\n$/);
  });

  it("changes the local user with /as, and says whether they are an admin", async () => {
    const input = new PassThrough();
    const { out, text } = collect();
    const adapter = new ConsoleAdapter(createCore({ clock: testClock(), db: t.db, log: { error: () => {} } }), consoleContext("alice", ["alice"]));
    input.end("/as Bob\n/as\n/as alice\nexit\n");
    await runShell(adapter, input as unknown as typeof process.stdin, out as unknown as typeof process.stdout, { admins: ["alice"] });
    expect(text()).toMatch(/^You are alice \(an admin\)\. Admins here: alice/m);
    expect(text()).toMatch(/You are Bob\. Admins here: alice \(CONSOLE_ADMINS\)\.\npeerlink> You are Bob\./);
    expect(adapter.context.actor).toMatchObject({ userId: "alice", displayName: "alice" });
  });

  it("never uses the OS account name: without a name the user is alice", () => {
    expect(consoleContext().actor).toMatchObject({ platform: "console", tenantId: "local", userId: "alice", displayName: "alice" });
    expect(consoleContext("bob").permissions).toEqual({ canManageChannel: false, isAdmin: false });
  });
});

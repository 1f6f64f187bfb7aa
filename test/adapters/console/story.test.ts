// The whole story of issue #13 in the console: alice follows, bob claims, an admin approves, alice
// invites, bob reads the invitation in his inbox and accepts, both get each other's contact. Once
// in one interactive shell (switching users with /as), once in one-shot runs of the real CLI (--as).
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/ConsoleAdapter.js";
import { consoleContext } from "../../../src/adapters/console/consoleContext.js";
import { attachConsoleMessenger, consoleClaimSettings } from "../../../src/adapters/console/consolePlatform.js";
import { runShell } from "../../../src/adapters/console/shell.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { runConsoleOnce, textSink } from "./consoleTesting.js";

// The one-shot half starts real Node processes; a loaded 2-core machine needs more than the default.
vi.setConfig({ testTimeout: 180_000 });

/** Runs the shell on `lines` and returns what it printed for each line, in order (index 0: the banner). */
async function shell(core: Core, lines: string[]): Promise<string[]> {
  const config = loadConfig({});
  const messenger = attachConsoleMessenger(core);
  const adapter = new ConsoleAdapter(core, consoleContext(config.console.user, config.console.admins));
  const input = new PassThrough();
  const output = textSink();
  input.end(`${lines.join("\n")}\nexit\n`);
  await runShell(adapter, input as unknown as typeof process.stdin, output.stream as unknown as typeof process.stdout, {
    messenger,
    admins: config.console.admins,
  });
  return output.text().split("peerlink> ");
}

const flat = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ");

describe("the console story, in one shell", () => {
  let t: TestDatabase;
  let core: Core;
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDemo(t.db);
    core = createCore({
      clock: testClock(),
      db: t.db,
      log: { error: (details) => errors.push(details) },
      claims: consoleClaimSettings(loadConfig({})),
    });
  });
  afterAll(() => t.drop());

  it("follows, claims, approves, invites, accepts and introduces, switching users with /as", async () => {
    const out = await shell(core, [
      /* 1 */ "/researcher follow Jonathan Frankle",
      /* 2 */ "/researcher invite Jonathan Frankle: hello",
      /* 3 */ "1",
      /* 4 */ "/as bob",
      /* 5 */ "/researcher claim Jonathan Frankle",
      /* 6 */ "/researcher inbox",
      /* 7 */ "1",
      /* 8 */ "/as admin",
      /* 9 */ "/researcher inbox",
      /* 10 */ "1",
      /* 11 */ "/as alice",
      /* 12 */ "/researcher invite Jonathan Frankle: Shall we work on lottery tickets together?",
      /* 13 */ "/as bob",
      /* 14 */ "/researcher inbox",
      /* 15 */ "1",
      /* 16 */ "/researcher inbox",
      /* 17 */ "/as alice",
      /* 18 */ "/researcher inbox",
    ]);
    // The banner says who you are, who the admins are, and how to become someone else.
    expect(out[0]).toMatch(/\/as <name>/);
    expect(out[0]).toMatch(/You are alice \(an admin\)\. Admins here: alice, admin \(CONSOLE_ADMINS\)/);
    expect(out[1]).toMatch(/You now follow Jonathan Frankle/);
    expect(out[2]).toMatch(/hasn't claimed their Peerlink profile/);
    expect(out[3]).toMatch(/I'll tell you when Jonathan Frankle claims their profile/);
    expect(out[4]).toMatch(/^You are bob\. /m);

    // Bob's claim is posted in the shell's channel, where the admins review it.
    expect(out[5]).toMatch(/✉ Posted in #console:\n  Claim request #\d+: Jonathan Frankle/);
    expect(out[5]).toMatch(/Buttons: Approve · Reject — press them from \/researcher inbox/);
    expect(out[5]).toMatch(/sent to the reviewers/);
    // Bob sees it too, but cannot decide his own claim.
    expect(out[6]).toMatch(/Claim request #\d+: Jonathan Frankle — \[1\] Approve \[2\] Reject/);
    expect(out[7]).toMatch(/Only admins|can't decide your own claim/);

    expect(out[8]).toMatch(/^You are admin \(an admin\)\./m);
    expect(out[9]).toMatch(/posted in #console/);
    expect(out[10]).toMatch(/Approved claim #\d+: Jonathan Frankle is now claimed/);
    // The decision reaches bob, and "tell me when they claim" reaches alice, as they happen.
    expect(out[10]).toMatch(/✉ For bob:\n  ✓ Your claim on Jonathan Frankle is verified/);
    expect(out[10]).toMatch(/✉ For alice:\n  ℹ Jonathan Frankle has claimed their Peerlink profile/);
    expect(out[10]).toMatch(/press them from \/researcher inbox as alice \(\/as alice\)/);

    // alice invites: the invitation lands in bob's inbox, with no stack trace on the way.
    expect(out[12]).toMatch(/✉ For bob:\n  alice invites you to collaborate/);
    expect(out[12]).toMatch(/Message\s+Shall we work on lottery tickets together\?/);
    expect(out[12]).toMatch(/Buttons: Accept · Decline · Block sender/);
    expect(out[12]).toMatch(/on its way/);
    expect(out[12]).not.toMatch(/PermanentDeliveryError|reconciler/);

    // bob reads it and presses Accept; both get each other's contact.
    expect(out[14]).toMatch(/Inbox of bob: 3 messages/);
    expect(out[14]).toMatch(/alice invites you to collaborate — \[1\] Accept \[2\] Decline \[3\] Block sender/);
    expect(out[14]).toMatch(/Message: Shall we work on lottery tickets together\?/);
    expect(out[14]).toMatch(/Sent from: the console \(session local, channel console\)/);
    expect(out[15]).toMatch(/Accepted\. I've sent you and alice each other's contact details/);
    // (long lines wrap at 96 columns)
    expect(flat(out[15])).toMatch(
      /✉ For alice: ✓ Jonathan Frankle accepted your invitation to collaborate\. You can reach them as Jonathan Frankle on the console \(session local, user id bob\)/,
    );
    expect(flat(out[15])).toMatch(
      /✉ For bob: ✓ You accepted alice's invitation\. You can reach them as alice on the console \(session local, user id alice\)/,
    );
    // The answered invitation loses its buttons in the inbox, as a Slack or Discord DM is edited.
    expect(out[16]).toMatch(/alice invites you to collaborate\n(?:.*\n)*?\s+You accepted this invitation\./);
    expect(out[16]).not.toMatch(/\[\d+\] Accept/);
    expect(out[18]).toMatch(/Jonathan Frankle accepted your invitation to collaborate/);
    expect(out[18]).toMatch(/Jonathan Frankle has claimed their Peerlink profile/);

    expect(errors).toEqual([]);
  });
});

describe("the console story, in one-shot runs of npm run console", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDemo(t.db);
  });
  afterAll(() => t.drop());

  async function consoleOnce(...args: string[]) {
    const { stdout, stderr } = await runConsoleOnce(args, { DATABASE_URL: t.url, LOG_LEVEL: "warn" });
    expect(stderr).not.toMatch(/"level"|at .*\.ts:\d+/); // no log lines, no stack traces
    return stdout;
  }

  it("lets each local user act and read their inbox with --as, pressing buttons with --press", async () => {
    expect(await consoleOnce("/researcher follow Jonathan Frankle", "--as", "alice")).toMatch(/You now follow/);
    expect(await consoleOnce("/researcher claim Jonathan Frankle", "--as", "bob")).toMatch(/✉ Posted in #console/);
    // Not an admin: carol may read the review, not decide it.
    expect(await consoleOnce("/researcher inbox", "--press", "1", "--as", "carol")).toMatch(/Only admins/);
    const approved = await consoleOnce("/researcher inbox", "--press", "1", "--as", "admin");
    expect(approved).toMatch(/Approved claim #\d+/);
    expect(approved).toMatch(/✉ For bob:/);
    expect(await consoleOnce("/researcher invite Jonathan Frankle: hello from the shell", "--as", "alice")).toMatch(
      /✉ For bob:\n  alice invites you/,
    );

    const inbox = await consoleOnce("/researcher inbox", "--as", "bob");
    expect(inbox).toMatch(/^Inbox of bob: 3 messages$/m);
    expect(inbox).toMatch(/alice invites you to collaborate — \[1\] Accept \[2\] Decline \[3\] Block sender/);
    expect(inbox).toMatch(/Message: hello from the shell/);
    expect(inbox).toMatch(/for bob · \d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    const accepted = await consoleOnce("/researcher inbox", "--press", "1", "--as", "bob");
    expect(accepted).toMatch(/Accepted\. I've sent you and alice each other's contact details/);
    expect(flat(await consoleOnce("/researcher inbox", "--as", "alice"))).toMatch(
      /accepted your invitation to collaborate\. You can reach them as .*user id bob/,
    );
    expect(flat(await consoleOnce("/researcher inbox", "--as", "bob"))).toMatch(/You can reach them as alice on the console/);
  });
});

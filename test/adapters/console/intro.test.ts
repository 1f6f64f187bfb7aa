// Warm introductions in the console shell: members opt in, someone finds the ways in to Jonathan
// Frankle (one hop and two), asks for an intro, and the member answers both ways; opted-out and
// other workspaces' members never appear; leaving withdraws what is pending.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/ConsoleAdapter.js";
import { consoleContext } from "../../../src/adapters/console/consoleContext.js";
import { attachConsoleMessenger, consoleClaimSettings } from "../../../src/adapters/console/consolePlatform.js";
import { runShell } from "../../../src/adapters/console/shell.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import type { Actor } from "../../../src/core/context.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { seedNeighbours } from "../../../src/sources/demo/seedNeighbours.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { textSink } from "./consoleTesting.js";

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
const local = (userId: string): Actor => ({ platform: "console", tenantId: "local", userId, displayName: userId });

describe("warm introductions in the console", () => {
  let t: TestDatabase;
  let core: Core;
  const errors: unknown[] = [];

  /** `actor` holds the researcher record named `name` (what a verified claim leaves behind). */
  async function claims(actor: Actor, name: string) {
    const me = await core.accounts.resolve(actor);
    await t.db.researcher.updateMany({ where: { displayName: name }, data: { claimedByAccountId: me.accountId, claimedAt: core.clock.now() } });
    return me;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDemo(t.db);
    await seedNeighbours(t.db); // as npm run db:seed does: Charith Mendis wrote with Frankle's co-authors
    core = createCore({ clock: testClock(), db: t.db, log: { error: (d) => errors.push(d) }, claims: consoleClaimSettings(loadConfig({})) });
    await claims(local("bob"), "Michael Carbin"); // wrote 2 papers with Frankle (2020)
    await claims(local("carol"), "Charith Mendis"); // wrote with Carbin and Renda, never with Frankle
    await claims(local("dave"), "Ari S. Morcos"); // a co-author of Frankle who never opts in
    // Alex Renda's claimant opted in on a Slack workspace: nothing of it may show in the console.
    const renda = await claims({ platform: "slack", tenantId: "T0OTHER", userId: "URENDA", displayName: "renda" }, "Alex Renda");
    await core.intros.join(renda, { platform: "slack", tenantId: "T0OTHER" });
  });
  afterAll(() => t.drop());

  it("finds one-hop and two-hop intros, asks, and the member introduces or declines; once each", async () => {
    const out = await shell(core, [
      /* 1 */ "/researcher intro Jonathan Frankle",
      /* 2 */ "/as bob",
      /* 3 */ "/researcher privacy",
      /* 4 */ "/researcher privacy on",
      /* 5 */ "/as carol",
      /* 6 */ "/researcher privacy on",
      /* 7 */ "/as alice",
      /* 8 */ "/researcher intro Jonathan Frankle",
      /* 9 */ "1",
      /* 10 */ "We'd like to talk about sparse training.",
      /* 11 */ "/researcher intro Jonathan Frankle via @carol",
      /* 12 */ "/as bob",
      /* 13 */ "/researcher inbox",
      /* 14 */ "1",
      /* 15 */ "/researcher inbox",
      /* 16 */ "/as carol",
      /* 17 */ "/researcher inbox",
      /* 18 */ "2",
      /* 19 */ "/as alice",
      /* 20 */ "/researcher inbox",
    ]);
    expect(out[1]).toMatch(/Nobody here is listed for intros yet/);
    expect(out[3]).toMatch(/You're not listed in this console's intros or team map/);
    expect(out[3]).toMatch(/\[1\] Join intros and the team map/);
    expect(out[4]).toMatch(/You've joined this console's intros and team map/);

    // Ranked: the co-author first (one hop), then the two-hop path through the strongest tie.
    const list = flat(out[8]);
    expect(list).toMatch(/Warm intros to Jonathan Frankle/);
    expect(list).toMatch(/2 people here can introduce you/);
    expect(list).toMatch(/Michael Carbin \(here as @bob\) wrote 2 papers with Jonathan Frankle, most recently in 2020\./);
    expect(list).toMatch(
      /Charith Mendis \(here as @carol\) wrote a paper with Michael Carbin \(in 2019\), who wrote 2 with Jonathan Frankle \(most recently in 2020\)\./,
    );
    expect(list.indexOf("here as @bob")).toBeLessThan(list.indexOf("here as @carol"));
    // Never dave (not opted in), never Alex Renda's claimant (another workspace).
    expect(list).not.toMatch(/@dave|Morcos|@renda|Alex Renda \(here/);

    // "Ask for an intro" opens the form; the next line is the (optional) message.
    expect(out[9]).toMatch(/Ask for an intro/);
    expect(flat(out[10])).toMatch(/I've asked Michael Carbin \(here as @bob\) to introduce you to Jonathan Frankle/);
    expect(flat(out[10])).toMatch(/✉ For bob: alice asks you for an introduction to Jonathan Frankle/);
    expect(flat(out[11])).toMatch(/I've asked Charith Mendis \(here as @carol\) to introduce you to Jonathan Frankle/);

    // bob reads it: who asks, why, how he is connected; he says he'll introduce them.
    expect(flat(out[13])).toMatch(
      /alice asks you for an introduction to Jonathan Frankle — \[1\] I'll introduce you \[2\] Decline \[3\] Block sender/,
    );
    expect(flat(out[13])).toMatch(/How you're connected: You wrote 2 papers with Jonathan Frankle, most recently in 2020\./);
    expect(flat(out[13])).toMatch(/Message: We'd like to talk about sparse training\./);
    expect(flat(out[14])).toMatch(/Thank you! I've sent you and alice each other's contact details/);
    expect(flat(out[14])).toMatch(/✉ For alice: ✓ Michael Carbin offered to introduce you to Jonathan Frankle/);
    // Once: the answered request has no buttons left.
    expect(flat(out[15])).toMatch(/You offered to make this introduction\./);
    expect(out[15]).not.toMatch(/\[\d+\] I'll introduce you/);

    // carol declines; alice is told kindly, without a reason.
    expect(flat(out[18])).toMatch(/Declined\. I've let alice know, kindly\./);
    expect(flat(out[18])).toMatch(/✉ For alice: ℹ Charith Mendis can't make an introduction to Jonathan Frankle right now\. Thank you for asking/);
    expect(flat(out[20])).toMatch(/offered to introduce you to Jonathan Frankle/);

    const requests = await t.db.invitation.findMany({
      where: { introTargetId: { not: null } },
      select: { status: true },
      orderBy: { createdAt: "asc" },
    });
    expect(requests.map((r) => r.status)).toEqual(["accepted", "declined"]);
    const dms = await t.db.invitationDelivery.count();
    expect(dms).toBe(2);
    expect(errors).toEqual([]);
  });

  it("leaving withdraws pending intro requests and tells the asker; the member disappears from intros", async () => {
    const out = await shell(core, [
      /* 1 */ "/as erin",
      /* 2 */ "/researcher intro Jonathan Frankle via @bob: Could you introduce me?",
      /* 3 */ "/researcher intro Jonathan Frankle via @bob: again",
      /* 4 */ "/as bob",
      /* 5 */ "/researcher privacy off",
      /* 6 */ "/as erin",
      /* 7 */ "/researcher intro Jonathan Frankle",
      /* 8 */ "/researcher intro Jonathan Frankle via @bob: please",
    ]);
    expect(flat(out[2])).toMatch(/I've asked Michael Carbin \(here as @bob\) to introduce you/);
    expect(flat(out[3])).toMatch(/You already asked Michael Carbin for an introduction to Jonathan Frankle/);
    expect(flat(out[5])).toMatch(/You've left this console's intros and team map.*1 pending intro request was withdrawn/);
    expect(flat(out[5])).toMatch(
      /✉ For erin: ℹ Michael Carbin is no longer listed for introductions here, so your request for an introduction to Jonathan Frankle was withdrawn\./,
    );
    expect(flat(out[7])).not.toMatch(/@bob/);
    expect(flat(out[7])).toMatch(/Charith Mendis \(here as @carol\)/);
    expect(flat(out[8])).toMatch(/@bob isn't listed for intros here/);
    const erin = await core.accounts.resolve(local("erin"));
    const pending = await t.db.invitation.findMany({ where: { senderAccountId: erin.accountId }, select: { status: true } });
    expect(pending).toEqual([{ status: "withdrawn" }]);
    expect(errors).toEqual([]);
  });
});

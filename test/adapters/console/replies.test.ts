// Issue #13 part 3, "Replies that help", through the console adapter: what a newcomer types and reads.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAdapter, consoleContext } from "../../../src/adapters/console/ConsoleAdapter.js";
import { createCore } from "../../../src/core/Core.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { seedNeighbours } from "../../../src/sources/demo/seedNeighbours.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { testClock } from "../../support/clock.js";

let t: TestDatabase;
let dir: string;
let core: ReturnType<typeof createCore>;
/** The console wraps long lines at 96 columns; specs compare the words. */
const oneLine = (s: string) => s.replace(/\s+/g, " ");
const as = (name: string) => new ConsoleAdapter(core, consoleContext(name), dir);

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  await seedNeighbours(t.db); // as npm run db:seed does
  dir = mkdtempSync(join(tmpdir(), "peerlink-replies-"));
  core = createCore({ clock: testClock(), db: t.db, log: { error: () => {} } });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
});

describe("console: mistyped commands", () => {
  it("answers a mistyped subcommand with “Did you mean follow?” and its usage, not a name search", async () => {
    const out = await as("tester").answer("/researcher folow Jonathan Frankle");
    expect(out).toMatch(/^! Did you mean follow\? “folow” is not a command\./);
    expect(out).toContain("Usage: /researcher follow <name> | topic: <topic> |");
    expect(out).toContain("Type: /researcher follow Jonathan Frankle");
    expect(out).not.toMatch(/No researcher found/);
  });

  it("still looks up a name whose first word is not a command", async () => {
    expect(await as("tester").answer("/researcher Jonathan Frankle")).toMatch(/^Jonathan Frankle\n/);
  });

  it("says a lone unknown word is neither a command nor a name, and how to look someone up", async () => {
    const out = oneLine(await as("tester").answer("/researcher frobnicate"));
    expect(out).toContain("“frobnicate” is not a command.");
    expect(out).toContain("No researcher found for “frobnicate”");
    expect(out).toContain("type /researcher and their name (e.g. /researcher Jonathan Frankle); /researcher help lists every command");
  });

  it("answers an unknown ORCID iD as a lookup, without calling it a mistyped command", async () => {
    const out = oneLine(await as("tester").answer("/researcher 0000-0002-9999-999X"));
    expect(out).not.toContain("is not a command");
    expect(out).toContain("0000-0002-9999-999X");
  });

  it("tells a line that does not start with /researcher how commands start", async () => {
    expect(await as("tester").answer("follow Jonathan Frankle")).toBe(
      "ℹ Commands start with /researcher. Did you mean “/researcher follow Jonathan Frankle”? Type /researcher help for every command, or the number of an action to use it.",
    );
    expect(await as("tester").answer("/reseacher help")).toContain("Did you mean “/researcher help”?");
    expect(await as("tester").answer("/help")).toContain("Did you mean “/researcher help”?");
  });
});

describe("console: abstracts", () => {
  it("prints the demo's arXiv abstracts without TeX escapes", async () => {
    const out = oneLine(
      (await as("tester").answer("/researcher works Jonathan Frankle")) + (await as("tester").answer("/researcher works Jonathan Frankle 2")),
    );
    expect(out).toContain("is that — after just a few hundred steps");
    expect(out).toContain("Neural network pruning—the task");
    expect(out).not.toMatch(/\\unicode|---/);
  });
});

describe("console: the card says how it was found and offers only what works", () => {
  it("says a fuzzy match is one", async () => {
    const out = await as("tester").answer("/researcher Jonathon Frankel");
    expect(out).toMatch(/^ℹ Showing Jonathan Frankle, the closest match to “Jonathon Frankel”\.\nJonathan Frankle\n/);
    expect(await as("tester").answer("/researcher jonathan frankle")).toMatch(/^Jonathan Frankle\n/);
  });

  it("offers “Tell me when they claim” on an unclaimed card, and it does that", async () => {
    const carol = as("carol");
    const out = await carol.answer("/researcher Jonathan Frankle");
    expect(out).toMatch(/Actions: \[1\] Follow {2}\[2\] Claim this profile {2}\[3\] Tell me when they claim {2}\[4\] More works/);
    expect(out).not.toContain("Invite");
    expect(await carol.answer("3")).toBe("✓ I'll tell you when Jonathan Frankle claims their profile.");
  });

  it("offers no Invite on your own card, and Invite on a claimed card of someone else", async () => {
    const bob = await core.accounts.resolve(consoleContext("bob").actor);
    const carbin = await t.db.researcher.findFirstOrThrow({ where: { displayName: "Michael Carbin" } });
    await t.db.researcher.update({ where: { id: carbin.id }, data: { claimedByAccountId: bob.accountId } });
    const own = await as("bob").answer("/researcher Michael Carbin");
    expect(own).toMatch(/Claim\s+Claimed by bob/);
    expect(own).not.toMatch(/Invite|Tell me when they claim|Claim this profile/);
    expect(await as("carol").answer("/researcher Michael Carbin")).toMatch(/\[\d\] Invite to collaborate/);
  });
});

describe("console: invitations, as each side sees them", () => {
  it("shows the recipient the message, and words each status for the side that reads it", async () => {
    const dana = await core.accounts.resolve(consoleContext("dana").actor);
    const renda = await t.db.researcher.findFirstOrThrow({ where: { displayName: "Alex Renda" } });
    await t.db.researcher.update({ where: { id: renda.id }, data: { claimedByAccountId: dana.accountId } });
    expect(await as("erin").answer("/researcher invite Alex Renda: Shall we look at learning rate rewinding together?")).toMatch(/on its way/);

    const received = await as("dana").answer("/researcher invites");
    expect(received).toMatch(
      /From erin \(to you as Alex Renda\) — \[1\] Accept \[2\] Decline\n  received 2026-11-25 · waiting for your answer · answer by 2026-12-09\n  “Shall we look at learning rate rewinding together\?”/,
    );
    const sent = await as("erin").answer("/researcher invites");
    expect(sent).toMatch(
      /To Alex Renda\n  sent 2026-11-25 · on its way · expires 2026-12-09\n  “Shall we look at learning rate rewinding together\?”/,
    );

    const said = {
      accepted: ["you accepted", "accepted: you have each other's contact details"],
      declined: ["you declined", "declined"],
      expired: ["expired before you answered", "expired without an answer"],
    } as const;
    for (const [status, [toRecipient, toSender]] of Object.entries(said)) {
      await t.db.invitation.updateMany({ where: { researcherId: renda.id }, data: { status: status as keyof typeof said } });
      expect(await as("dana").answer("/researcher invites")).toContain(`received 2026-11-25 · ${toRecipient}\n`);
      expect(await as("erin").answer("/researcher invites")).toContain(`sent 2026-11-25 · ${toSender}\n`);
    }
  });
});

describe("console: the card and the graph agree on collaborators", () => {
  it("labels the card's close collaborators and the graph's co-authors, so 2 and 19 visibly agree", async () => {
    expect(await as("tester").answer("/researcher Jonathan Frankle")).toMatch(
      /Counts\s+8 works · 0 followers · 3 topics · 2 close collaborators \(2\+ shared works\) of 19 co-authors/,
    );
    const graph = oneLine(await as("tester").answer("/researcher graph Jonathan Frankle"));
    expect(graph).toContain(
      "Showing 10 of 19 co-authors (2 of them close collaborators, with 2+ shared works, as the profile card counts) and 7 of 8 works.",
    );
  });

  it("lists the graph's papers newest first, naming or counting everyone who wrote them", async () => {
    const out = await as("tester").answer("/researcher graph Jonathan Frankle");
    const years = [...out.matchAll(/^ {2}Paper · (\d{4}) · /gm)].map((m) => Number(m[1]));
    expect(years).toEqual([2024, 2022, 2022, 2022, 2020, 2020, 2020]);
    expect(out).not.toContain("solo");
    expect(out).toContain("Paper · 2020 · with Gintare Karolina Dziugaite, Michael Carbin and 1 other");
  });
});

describe("console: suggestions", () => {
  it("suggests people for Jonathan Frankle from the demo data, unclaimed ones with “Tell me when they claim”", async () => {
    const out = await as("tester").answer("/researcher suggest Jonathan Frankle");
    expect(out).toMatch(/^People Jonathan Frankle could talk to\n/);
    expect(out).toMatch(
      /• Charith Mendis — \[\d+\] Tell me when they claim \[\d+\] View profile\n  co-author of (Alex Renda and Michael Carbin|Michael Carbin and Alex Renda), who wrote with Jonathan Frankle/,
    );
    expect(out).toContain("• Ben Sorscher");
    expect(out).not.toMatch(/\] Invite\b/);
  });

  it("finds a topic by any word of its name, fuzzily, and by the titles of its works", async () => {
    expect(await as("tester").answer("/researcher suggest sparce")).toMatch(/^Central researchers in Sparse and Low-Rank Neural Networks\n/);
    expect(await as("tester").answer("/researcher suggest networks")).toMatch(/^Central researchers in Sparse and Low-Rank Neural Networks\n/);
    const pruning = oneLine(await as("tester").answer("/researcher suggest pruning"));
    expect(pruning).toMatch(
      /^Central researchers in Sparse and Low-Rank Neural Networks No topic is named “pruning”; Sparse and Low-Rank Neural Networks is the topic of 2 works with “pruning” in the title\./,
    );
    expect(pruning).toContain("• Jonathan Frankle");
  });

  it("never lists yourself", async () => {
    const gina = await core.accounts.resolve(consoleContext("gina").actor);
    await t.db.researcher.updateMany({ where: { displayName: "Gintare Karolina Dziugaite" }, data: { claimedByAccountId: gina.accountId } });
    const frank = await core.accounts.resolve(consoleContext("frank").actor);
    await t.db.researcher.updateMany({ where: { displayName: "Charith Mendis" }, data: { claimedByAccountId: frank.accountId } });
    expect(await as("tester").answer("/researcher suggest pruning")).toContain("• Gintare Karolina Dziugaite");
    expect(await as("gina").answer("/researcher suggest pruning")).not.toContain("Gintare Karolina Dziugaite");
    expect(await as("tester").answer("/researcher suggest Jonathan Frankle")).toMatch(/• Charith Mendis — \[\d+\] Invite/);
    expect(await as("frank").answer("/researcher suggest Jonathan Frankle")).not.toContain("Charith Mendis");
  });
});

describe("console: forms", () => {
  it("asks for an invitation's message on the next line, with a documented command instead of a #id", async () => {
    const bob = await core.accounts.resolve(consoleContext("bob").actor);
    await t.db.researcher.updateMany({ where: { displayName: "Michael Carbin" }, data: { claimedByAccountId: bob.accountId } });
    const harriet = as("harriet");
    const card = await harriet.answer("/researcher Michael Carbin");
    const invite = /\[(\d+)\] Invite to collaborate/.exec(card)![1]!;
    const form = await harriet.answer(invite);
    expect(form).toBe(
      "Invite Michael Carbin to collaborate\n  Message: up to 1000 characters\n\nType your message on the next line, or the whole command:\n  /researcher invite Michael Carbin: <message>",
    );
    expect(form).not.toContain("#");
    expect(await harriet.answer("Shall we talk about throughput estimation?")).toMatch(/^✓ Your invitation to Michael Carbin is on its way/);
    expect(await harriet.answer("hello again")).toMatch(/^ℹ Commands start with \/researcher/);
  });
});

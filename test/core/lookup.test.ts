import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../src/core/Core.js";
import type { CommandContext } from "../../src/core/context.js";
import type { Card, List, Notice } from "../../src/core/reply.js";
import { searchName } from "../../src/core/text.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { testClock } from "../support/clock.js";

const ctx: CommandContext = {
  actor: { platform: "console", tenantId: "local", userId: "tester", displayName: "Tester" },
  channelId: "console",
  permissions: { canManageChannel: true, isAdmin: false },
};
const silent = { error: () => {} };

let t: TestDatabase;
let core: Core;
let frankleId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  core = createCore({ clock: testClock(), db: t.db, log: silent });
  ({ researcherId: frankleId } = await seedDemo(t.db));
});
afterAll(() => t.drop());

const field = (card: Card, label: string) => card.fields.find((f) => f.label === label)?.value;

describe("lookup", () => {
  it("finds a researcher by exact name and shows the reference profile card", async () => {
    const { reply, visibility } = await core.router.handleText("/researcher Jonathan Frankle", ctx);
    expect(visibility).toBe("ephemeral");
    expect(reply.kind).toBe("card");
    const card = reply as Card;
    expect(card.title).toBe("Jonathan Frankle");
    expect(field(card, "Affiliation")).toBe("Affiliation not imported");
    expect(field(card, "Collaboration")).toBe("Open to collaborate");
    expect(field(card, "Trust")).toBe("21 · Emerging");
    expect(field(card, "Verification")).toMatch(/^L1/);
    expect(field(card, "Claim")).toBe("Unclaimed author");
    expect(field(card, "Counts")).toBe("8 works · 0 followers · 3 topics · 2 close collaborators (2+ shared works) of 19 co-authors");
    expect(card.items[0]).toMatchObject({ title: "Dataset Difficulty and the Role of Inductive Bias", meta: "preprint · 2024 · arXiv" });
    expect(card.actions.map((a) => a.id)).toEqual(["follow", "claim", "watch_claim", "works", "graph", "share"]);
  });

  it("tolerates typos: “Jonathon Frankel” finds Jonathan Frankle", async () => {
    const { reply } = await core.router.handleText("Jonathon Frankel", ctx);
    expect(reply).toMatchObject({ kind: "card", title: "Jonathan Frankle" });
  });

  it("finds by ORCID iD, bare or as a URL, and by OpenAlex id or URL", async () => {
    // The demo record carries no persistent ids: give it the OpenAlex stand-in's (invented) ones.
    await t.db.researcher.update({ where: { id: frankleId }, data: { orcid: "0000-0000-0000-001X", openalexId: "A5100000000" } });
    for (const q of ["0000-0000-0000-001X", "https://orcid.org/0000-0000-0000-001X", "A5100000000", "https://openalex.org/A5100000000"]) {
      const { reply } = await core.router.handleText(q, ctx);
      expect(reply, q).toMatchObject({ kind: "card", title: "Jonathan Frankle" });
    }
  });

  it("offers a pick list when several researchers match equally well", async () => {
    await t.db.researcher.createMany({
      data: ["Maria Garcia", "Maria Garcia"].map((n, i) => ({ displayName: n, searchName: searchName(n), citedByCount: i * 100 })),
    });
    const { reply } = await core.router.handleText("maria garcia", ctx);
    expect(reply.kind).toBe("list");
    const list = reply as List;
    expect(list.items).toHaveLength(2);
    expect(list.items[0]!.meta).toMatch(/100 citations/); // more prominent first
    const pick = list.items[0]!.actions![0]!;
    const chosen = await core.router.handleAction(pick.id, pick.value, ctx);
    expect(chosen.reply).toMatchObject({ kind: "card", title: "Maria Garcia" });
    // With a typo too: new researchers' names reach the fuzzy index (researcher_name) by trigger.
    const typo = (await core.router.handleText("Mariah Garcia", ctx)).reply as List;
    expect(typo).toMatchObject({ kind: "list" });
    expect(typo.items.map((i) => i.title)).toEqual(["Maria Garcia", "Maria Garcia"]);
  });

  it("matches each typed word against the dictionary of name words, so a typo in any word is forgiven", async () => {
    const names = ["Malik Sánchez-Saito", "Malik Santos", "Tamar I. Takahashi", "Tamar Tanaka"];
    await t.db.researcher.createMany({ data: names.map((n) => ({ displayName: n, searchName: searchName(n) })) });
    // The trigger added the new words to the dictionary.
    const words = await t.db.nameToken.findMany({ where: { token: { in: ["malik", "sanchez", "saito", "takahashi"] } } });
    expect(words).toHaveLength(4);
    // A swapped pair of letters leaves "sacnhez" only faintly like "sanchez": still its best match.
    expect((await core.router.handleText("Malik Sacnhez-Saito", ctx)).reply).toMatchObject({ kind: "card", title: "Malik Sánchez-Saito" });
    // A split word and a missing initial: "tamar" stands for itself, not for every word starting "ta".
    expect((await core.router.handleText("Tamar Takahasi", ctx)).reply).toMatchObject({ kind: "card", title: "Tamar I. Takahashi" });
    // Every word must match: the right first name with an unknown surname finds nobody.
    expect((await core.router.handleText("Malik Qwxyz", ctx)).reply.kind).toBe("notice");
  });

  it("finds someone by one word: a surname, a misspelt surname, or the whole name typed without a space", async () => {
    for (const typed of ["Frankle", "Frankel", "jonathanfrankle"]) {
      expect((await core.router.handleText(typed, ctx)).reply, typed).toMatchObject({ kind: "card", title: "Jonathan Frankle" });
    }
  });

  it("finds names with letters that have no accent to strip, typed without them (Łukasz as Lukasz)", async () => {
    const names = ["Łukasz Błaszczyk", "Søren Ødegård", "Đorđe Perić"];
    await t.db.researcher.createMany({ data: names.map((n) => ({ displayName: n, searchName: searchName(n) })) });
    for (const [typed, found] of [
      ["Lukasz Blaszczyk", names[0]],
      ["soren odegard", names[1]],
      ["Dorde Peric", names[2]],
      ["Łukasz Błaszczyk", names[0]],
    ]) {
      expect((await core.router.handleText(typed!, ctx)).reply, typed).toMatchObject({ kind: "card", title: found });
    }
  });

  it("answers an unknown name with a friendly not-found and suggestions", async () => {
    const { reply } = await core.router.handleText("Jonathan Zzyzx", ctx);
    expect(reply.kind).toBe("notice");
    expect((reply as Notice).text).toMatch(/No researcher found for “Jonathan Zzyzx”/);
    const none = await core.router.handleText("0000-0001-0000-0009", ctx);
    expect((none.reply as Notice).text).toMatch(/No researcher found/);
  });

  it("shares in the channel only when asked", async () => {
    const shared = await core.router.handleText("Jonathan Frankle --share", ctx);
    expect(shared.visibility).toBe("in_channel");
    expect((shared.reply as Card).actions.map((a) => a.id)).not.toContain("share");
  });

  it("pages through works, most recent first, and refuses pages past the end", async () => {
    const first = (await core.router.handleText("works Jonathan Frankle", ctx)).reply as List;
    expect(first.items).toHaveLength(5);
    expect(first.footer).toBe("Page 1 of 2");
    const second = (await core.router.handleText("works Jonathan Frankle 2", ctx)).reply as List;
    expect(second.items.map((i) => i.title)).toContain("What is the State of Neural Network Pruning?");
    const past = (await core.router.handleText("works Jonathan Frankle 9", ctx)).reply as Notice;
    expect(past).toMatchObject({ kind: "notice", level: "warning" });
    const next = first.actions!.find((a) => a.label === "Next page")!;
    expect((await core.router.handleAction(next.id, next.value, ctx)).reply).toMatchObject({ footer: "Page 2 of 2" });
  });

  it("counts followers from rows: following raises the count on the card", async () => {
    await core.router.handleAction("follow", String(frankleId), ctx);
    const card = (await core.router.handleText("Jonathan Frankle", ctx)).reply as Card;
    expect(field(card, "Counts")).toMatch(/1 follower ·/);
    expect(card.actions[0]).toMatchObject({ id: "unfollow" });
    await core.router.handleAction("unfollow", String(frankleId), ctx);
  });

  it("lists every command in help, and with no arguments", async () => {
    for (const text of ["help", ""]) {
      const list = (await core.router.handleText(text, ctx)).reply as List;
      expect(list.title).toBe("Peerlink commands");
      expect(list.items.map((i) => i.title).join("\n")).toMatch(/works <name/);
    }
  });

  it("rejects bad input with a clear message instead of failing", async () => {
    const long = (await core.router.handleText("x".repeat(1001), ctx)).reply as Notice;
    expect(long.text).toMatch(/too long/);
    const control = (await core.router.handleText("Jonathan\u0007Frankle", ctx)).reply as Notice;
    expect(control.text).toMatch(/control characters/);
    const page = (await core.router.handleText("works Jonathan Frankle 0", ctx)).reply as Notice;
    expect(page.text).toMatch(/Pages start at 1/);
    const option = (await core.router.handleText("--frobnicate", ctx)).reply as Notice;
    expect(option.text).toMatch(/Unknown option/);
  });

  it("turns an unexpected failure into an apology with a reference id", async () => {
    const logged: object[] = [];
    const broken = createCore({ clock: testClock(), db: t.db, log: { error: (d) => logged.push(d) } });
    broken.search.find = () => Promise.reject(new Error("database on fire"));
    const { reply } = await broken.router.handleText("Jonathan Frankle", ctx);
    expect(reply).toMatchObject({ kind: "notice", level: "error" });
    expect((reply as Notice).text).not.toMatch(/database on fire/);
    expect(logged[0]).toMatchObject({ ref: (reply as Notice).ref, command: "lookup" });
  });
});

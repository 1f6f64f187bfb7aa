import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../../src/core/Core.js";
import type { CommandContext } from "../../../src/core/context.js";
import type { List } from "../../../src/core/reply.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { claim, person, work } from "./graphFixtures.js";
import { testClock } from "../../support/clock.js";

const ctx: CommandContext = {
  actor: { platform: "console", tenantId: "local", userId: "tester", displayName: "Tester" },
  channelId: "console",
  permissions: { canManageChannel: true, isAdmin: false },
};

let t: TestDatabase;
let core: Core;
let frankleId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  core = createCore({ clock: testClock(), db: t.db, log: { error: () => {} } });
  ({ researcherId: frankleId } = await seedDemo(t.db));
  // Co-authors of Frankle's co-authors, who never wrote with Frankle himself.
  await work(t.db, "Program Synthesis for Sparse Models", 2025, ["Michael Carbin", "Ada Newcomer"], ["Sparse and Low-Rank Neural Networks"]);
  await work(t.db, "Generalisation Bounds Revisited", 2025, ["Gintare Karolina Dziugaite", "Daniel M. Roy", "Bea Bridge"]);
  await work(t.db, "Compressing Networks with PAC-Bayes", 2024, ["Michael Carbin", "Bea Bridge"]);
  await work(t.db, "Pruning at Scale", 2025, ["Surya Ganguli", "Dan Unclaimed", "Cleo Claimed"]);
  await claim(t.db, "Cleo Claimed");
  await work(t.db, "Soil Microbiomes of Alpine Meadows", 2023, ["Unrelated Ecologist"], ["Soil Ecology"]);
});
afterAll(() => t.drop());

const suggest = async (text: string) => (await core.router.handleText(`/researcher suggest ${text}`, ctx)).reply;

describe("suggest for a researcher", () => {
  it("suggests co-authors of co-authors, with the reason, and offers to wait for an unclaimed one's claim", async () => {
    const list = (await suggest("Jonathan Frankle")) as List;
    expect(list.title).toBe("People Jonathan Frankle could talk to");
    const ada = list.items.find((i) => i.title === "Ada Newcomer")!;
    expect(ada.meta).toBe("1 shared topic; co-author of Michael Carbin, who wrote with Jonathan Frankle");
    expect(ada.actions![0]).toEqual({ id: "watch_claim", label: "Tell me when they claim", value: String(await person(t.db, "Ada Newcomer")) });
  });

  it("ranks people reached through more co-authors higher", async () => {
    const list = (await suggest("Jonathan Frankle")) as List;
    const titles = list.items.map((i) => i.title);
    expect(titles.indexOf("Bea Bridge")).toBeLessThan(titles.indexOf("Ada Newcomer"));
    expect(list.items.find((i) => i.title === "Bea Bridge")!.meta).toMatch(
      /^co-author of 3 of Jonathan Frankle's co-authors, e\.g\. [A-Z].+ and [A-Z].+$/,
    );
  });

  it("prefers claimed researchers, who can receive an invitation", async () => {
    const list = (await suggest("Jonathan Frankle")) as List;
    const titles = list.items.map((i) => i.title);
    const cleo = list.items.find((i) => i.title === "Cleo Claimed")!;
    expect(cleo.meta).toBe("co-author of Surya Ganguli, who wrote with Jonathan Frankle; claimed: can receive invitations");
    expect(cleo.actions![0]).toMatchObject({ id: "invite", style: "primary" });
    // Same tie to Frankle (one mutual co-author, on the same paper); only Cleo can be invited.
    expect(titles.indexOf("Cleo Claimed")).toBeLessThan(titles.indexOf("Dan Unclaimed"));
  });

  it("never suggests existing co-authors, the researcher, or people with no tie", async () => {
    const titles = ((await suggest("Jonathan Frankle")) as List).items.map((i) => i.title);
    for (const name of ["Jonathan Frankle", "Michael Carbin", "Gintare Karolina Dziugaite", "Daniel M. Roy", "Unrelated Ecologist"]) {
      expect(titles).not.toContain(name);
    }
  });

  it("works from the Suggest collaborators button", async () => {
    const { reply } = await core.router.handleAction("suggest", `r:${frankleId}`, ctx);
    expect((reply as List).items.map((i) => i.title)).toContain("Ada Newcomer");
  });
});

describe("suggest for a topic", () => {
  it("finds the topic by name and lists its most central researchers", async () => {
    const list = (await suggest("Sparse and Low-Rank Neural Networks")) as List;
    expect(list.title).toBe("Central researchers in Sparse and Low-Rank Neural Networks");
    expect(list.items[0]).toMatchObject({ title: "Jonathan Frankle" });
    expect(list.items[0]!.meta).toBe("4 works on Sparse and Low-Rank Neural Networks; 10 co-authors in this topic");
  });

  it("matches a topic loosely (case, partial words) and with an explicit topic: prefix", async () => {
    expect(((await suggest("topic: sparse and low-rank")) as List).title).toBe("Central researchers in Sparse and Low-Rank Neural Networks");
    expect(((await suggest("neural network training dynamics")) as List).title).toBe("Central researchers in Neural Network Training Dynamics");
  });

  it("says so when neither a researcher nor a topic matches", async () => {
    expect(await suggest("Zzyzx Qwertyuiop")).toMatchObject({ kind: "notice", level: "warning" });
    expect(await suggest("topic: zzyzx qwertyuiop")).toMatchObject({
      kind: "notice",
      text: "No topic matches “zzyzx qwertyuiop”. Try fewer or different words.",
    });
    expect(await suggest("")).toMatchObject({ kind: "notice", level: "error" });
  });
});

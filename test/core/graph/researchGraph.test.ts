import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../../src/core/Core.js";
import type { CommandContext } from "../../../src/core/context.js";
import { loadResearchGraph } from "../../../src/core/graph/loadResearchGraph.js";
import { MAX_GRAPH_NODES } from "../../../src/core/graph/ResearchGraph.js";
import type { Card, List } from "../../../src/core/reply.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { person, work } from "./graphFixtures.js";

const ctx: CommandContext = {
  actor: { platform: "console", tenantId: "local", userId: "tester", displayName: "Tester" },
  channelId: "console",
  permissions: { canManageChannel: true, isAdmin: false },
};
const NOW = new Date("2026-01-01T00:00:00Z");

let t: TestDatabase;
let core: Core;
let frankleId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  core = createCore({ db: t.db, log: { error: () => {} }, clock: { now: () => NOW } });
  ({ researcherId: frankleId } = await seedDemo(t.db));
  // Someone with their own work and topic, nowhere near the demo researcher.
  await work(t.db, "Soil Microbiomes of Alpine Meadows", 2023, ["Unrelated Ecologist", "Another Ecologist"], ["Soil Ecology"]);
});
afterAll(() => t.drop());

const labels = (list: List) => list.items.map((i) => i.title);

describe("research graph", () => {
  it("puts the closest co-authors first: Gintare Karolina Dziugaite (3 shared works), then Michael Carbin (2)", async () => {
    const { reply, visibility } = await core.router.handleText("/researcher graph Jonathan Frankle", ctx);
    expect(visibility).toBe("ephemeral");
    const list = reply as List;
    expect(list.title).toBe("Research graph: Jonathan Frankle");
    expect(list.items[0]).toMatchObject({ title: "Gintare Karolina Dziugaite", meta: "Co-author · 3 shared works · latest 2024" });
    expect(list.items[1]).toMatchObject({ title: "Michael Carbin", meta: "Co-author · 2 shared works · latest 2020" });
    expect(list.items[0]!.actions![0]).toMatchObject({ id: "lookup", value: String(await person(t.db, "Gintare Karolina Dziugaite")) });
  });

  it("lists the main topics and the papers that tie the co-authors together", async () => {
    const list = (await core.router.handleText("graph Jonathan Frankle", ctx)).reply as List;
    const topics = list.items.find((i) => i.title === "Main topics")!;
    expect(topics.text).toBe(
      "Neural Network Training Dynamics (5 works) · Sparse and Low-Rank Neural Networks (4 works) · AI Research Community and Peer Review (1 work)",
    );
    const tying = list.items.find((i) => i.title.startsWith("Linear Mode Connectivity"))!;
    // Daniel M. Roy, with one 2020 work, is not among the ten closest co-authors, so not named, but counted.
    expect(tying.meta).toBe("Paper · 2020 · with Gintare Karolina Dziugaite, Michael Carbin and 1 other");
  });

  it("lists the papers newest first and never calls a paper with co-authors solo", async () => {
    const list = (await core.router.handleText("graph Jonathan Frankle", ctx)).reply as List;
    const years = list.items.filter((i) => i.meta?.startsWith("Paper · ")).map((i) => Number(i.meta!.split(" · ")[1]));
    expect(years.length).toBeGreaterThan(1);
    expect(years).toEqual([...years].sort((a, b) => b - a));
    expect(list.items.map((i) => i.meta ?? "").join("\n")).not.toMatch(/solo/);
  });

  it("leaves out researchers with no tie to the researcher", async () => {
    const graph = (await loadResearchGraph(t.db, frankleId, NOW))!;
    const all = graph.nodes.map((n) => n.label);
    expect(all).not.toContain("Unrelated Ecologist");
    expect(all).not.toContain("Soil Ecology");
    expect(all).not.toContain("Soil Microbiomes of Alpine Meadows");
  });

  it("connects every node to the graph and every edge to nodes in it", async () => {
    const graph = (await loadResearchGraph(t.db, frankleId, NOW))!;
    const keys = new Set(graph.nodes.map((n) => n.key));
    expect(keys.size).toBe(graph.nodes.length);
    for (const e of graph.edges) {
      expect(keys.has(e.source) && keys.has(e.target), `${e.source}→${e.target}`).toBe(true);
      expect(e.strength).toBeGreaterThan(0);
      expect(e.strength).toBeLessThanOrEqual(1);
    }
    for (const n of graph.nodes.slice(1))
      expect(
        graph.edges.some((e) => e.target === n.key || e.source === n.key),
        n.label,
      ).toBe(true);
  });

  it(`stays within ${MAX_GRAPH_NODES} nodes however many co-authors and works there are`, async () => {
    const prolific = await person(t.db, "Prolific Author");
    const crowd = await t.db.researcher.createManyAndReturn({
      data: Array.from({ length: 40 }, (_, i) => ({ displayName: `Crowd Member ${i}`, searchName: `crowd member ${i}` })),
      select: { id: true },
    });
    for (let i = 0; i < 12; i++) {
      const w = await t.db.work.create({ data: { type: "article", title: `Big Collaboration Part ${i}`, publicationYear: 2025 } });
      const authors = [prolific, ...crowd.slice(2 * i, 2 * i + 20).map((c) => c.id)];
      await t.db.authorship.createMany({ data: authors.map((researcherId, k) => ({ workId: w.id, researcherId, position: k + 1 })) });
    }
    const graph = (await loadResearchGraph(t.db, prolific, NOW))!;
    expect(graph.nodes.length).toBeLessThanOrEqual(MAX_GRAPH_NODES);
    expect(graph.totals).toMatchObject({ coauthors: 40, works: 12 });
    const list = (await core.router.handleText("graph Prolific Author", ctx)).reply as List;
    expect(list.footer).toBe(
      "Showing 10 of 40 co-authors (38 of them close collaborators, with 2+ shared works, as the profile card counts) and 7 of 12 works.",
    );
  });

  it("shows the researcher's institutions, current first", async () => {
    const mit = await t.db.institution.create({ data: { name: "Massachusetts Institute of Technology" } });
    const mosaic = await t.db.institution.create({ data: { name: "MosaicML" } });
    await t.db.affiliation.createMany({
      data: [
        { researcherId: frankleId, institutionId: mit.id, lastYear: 2021 },
        { researcherId: frankleId, institutionId: mosaic.id, lastYear: 2024 },
      ],
    });
    const list = (await core.router.handleText("graph Jonathan Frankle", ctx)).reply as List;
    expect(list.items.find((i) => i.title === "Institutions")?.text).toBe(
      "MosaicML (current (2024)) · Massachusetts Institute of Technology (until 2021)",
    );
  });

  it("attaches a picture described as data, and offers suggestions", async () => {
    const list = (await core.router.handleText("graph Jonathan Frankle", ctx)).reply as List;
    expect(list.picture).toMatchObject({ kind: "research_graph", filename: `research-graph-${frankleId}.png`, width: 1200, height: 800 });
    expect(list.picture!.alt).toMatch(/^Research graph of Jonathan Frankle; closest co-authors Gintare Karolina Dziugaite, Michael Carbin/);
    expect(list.picture!.graph.center).toMatchObject({ id: frankleId, kind: "researcher" });
    expect(list.actions).toContainEqual({ id: "suggest", label: "Suggest collaborators", value: `r:${frankleId}` });
  });

  it("opens from the Research graph button on the profile card", async () => {
    const card = (await core.router.handleText("Jonathan Frankle", ctx)).reply as Card;
    const button = card.actions.find((a) => a.id === "graph")!;
    expect(button).toMatchObject({ label: "Research graph", value: String(frankleId) });
    const { reply } = await core.router.handleAction(button.id, button.value, ctx);
    expect(labels(reply as List)[0]).toBe("Gintare Karolina Dziugaite");
  });

  it("answers a friendly notice for nobody found and for a stale button", async () => {
    expect((await core.router.handleText("graph Zzyzx Qwertyuiop", ctx)).reply).toMatchObject({ kind: "notice", level: "warning" });
    expect((await core.router.handleAction("graph", "999999", ctx)).reply).toMatchObject({
      kind: "notice",
      text: "That researcher no longer exists.",
    });
    expect((await core.router.handleAction("graph", "abc", ctx)).reply).toMatchObject({ kind: "notice", level: "error" });
  });
});

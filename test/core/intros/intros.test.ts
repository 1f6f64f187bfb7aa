// The intro path search on a small graph of its own, the team map it feeds, and the Home tab's section.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Core, createCore } from "../../../src/core/Core.js";
import type { Actor } from "../../../src/core/context.js";
import { HomeService } from "../../../src/core/home/HomeService.js";
import { pathSentence } from "../../../src/core/intros/introReplies.js";
import { TIE_REFRESH_MS } from "../../../src/core/intros/CoauthorTies.js";
import { teamList } from "../../../src/core/intros/TeamMap.js";
import { searchName } from "../../../src/core/text.js";
import { renderPicture } from "../../../src/render/renderPicture.js";
import { type TestClock, testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";

const T = { platform: "slack" as const, tenantId: "T1" };
const actor = (userId: string): Actor => ({ ...T, userId, displayName: userId.toLowerCase() });

describe("intro paths and the team map", () => {
  let t: TestDatabase;
  let core: Core;
  let clock: TestClock;
  const ids: Record<string, number> = {};

  /** One work per call, written by these people in that year. */
  async function wrote(year: number, ...names: string[]) {
    const work = await t.db.work.create({ data: { type: "article", title: `${names.join(", ")} ${year}`, publicationYear: year } });
    for (const [i, n] of names.entries()) {
      ids[n] ??= (await t.db.researcher.create({ data: { displayName: n, searchName: searchName(n) } })).id;
      await t.db.authorship.create({ data: { workId: work.id, researcherId: ids[n], position: i + 1 } });
    }
  }

  async function member(userId: string, name: string) {
    const me = await core.accounts.resolve(actor(userId));
    await t.db.researcher.update({ where: { id: ids[name] }, data: { claimedByAccountId: me.accountId } });
    await core.intros.join(me, T);
    return me;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    core = createCore({ clock: (clock = testClock()), db: t.db, log: { error: () => {} } });
    // Target ← Near (2 works) ← Mid ← Far: one, two and three hops from the target.
    await wrote(2024, "Target", "Near");
    await wrote(2021, "Target", "Near");
    await wrote(2019, "Near", "Mid");
    await wrote(2015, "Mid", "Far");
    await wrote(2016, "Target", "Other");
    await wrote(2023, "Mid", "Other");
    await member("UNEAR", "Near");
    await member("UMID", "Mid");
    await member("UFAR", "Far");
  });
  afterAll(() => t.drop());

  it("finds each member's shortest path, closest first, up to three hops", async () => {
    const asker = await core.accounts.resolve(actor("UASKER"));
    const { paths } = await core.intros.paths(T, asker, ids.Target!);
    expect(paths.map((p) => [p.member.researcherName, p.hops])).toEqual([
      ["Near", 1],
      ["Mid", 2],
      ["Far", 3],
    ]);
    // Mid reaches the target through Other (2023, 2016) and through Near (2019, two in 2024/2021):
    // the weakest tie decides, and Near's (2019) is warmer than Other's to the target (2016).
    expect(paths[1]!.nodes.map((n) => n.name)).toEqual(["Mid", "Near", "Target"]);
    expect(pathSentence("Far (here as @ufar)", paths[2]!)).toBe(
      "Far (here as @ufar) wrote a paper with Mid (in 2015); Mid wrote one with Near (in 2019), who wrote 2 with Target (most recently in 2024).",
    );
  });

  it("leaves out the asker's own record", async () => {
    const near = await core.accounts.resolve(actor("UNEAR"));
    const { paths } = await core.intros.paths(T, near, ids.Target!);
    expect(paths.map((p) => p.member.researcherName)).toEqual(["Mid", "Far"]);
  });

  it("draws the team map with the research-graph renderer and lists who wrote with whom", async () => {
    const team = await core.intros.team(T);
    const list = teamList(team, 1, "workspace");
    expect(list.items.map((i) => i.title)).toEqual(["Far (here as @ufar)", "Mid (here as @umid)", "Near (here as @unear)"]);
    expect(list.items[1]!.text).toMatch(/Wrote with (Near \(1 paper\), Far \(1 paper\)|Far \(1 paper\), Near \(1 paper\))\./);
    const png = renderPicture(list.picture!);
    expect(png.mimeType).toBe("image/png");
    expect(Buffer.from(png.data.subarray(1, 4)).toString()).toBe("PNG");
    expect(list.picture!.alt).toMatch(/Team map of this workspace: /);
  });

  it("adds the people here to the Home tab, without changing the other sections", async () => {
    const home = new HomeService(t.db, core.accounts, core.intros);
    const h = await home.load(actor("UASKER"), core.clock.now());
    expect(h.sections.at(-1)!.title).toBe("People here in intros (3)");
    expect(h.sections.at(-1)!.items.map((i) => i.title)).toContain("Near (here as @unear)");
    const elsewhere = await home.load({ ...actor("UASKER"), tenantId: "T2" }, core.clock.now());
    expect(elsewhere.sections.at(-1)!.title).toBe("People here in intros (0)");
  });

  // Last: it moves the clock a day on.
  it("sees a paper written after the ties were kept: the target's side at once, the members' side within a day", async () => {
    const asker = await core.accounts.resolve(actor("UASKER"));
    await wrote(2025, "Target", "Far"); // the target's co-authors are read live
    expect((await core.intros.paths(T, asker, ids.Target!)).paths.find((p) => p.member.researcherName === "Far")?.hops).toBe(1);

    // Goal's only co-author, Late, wrote with Mid: two hops from Mid, three from Near and Far (through
    // Mid's kept reach), once the members' ties are recomputed.
    await wrote(2025, "Mid", "Late");
    await wrote(2025, "Late", "Goal");
    expect((await core.intros.paths(T, asker, ids.Goal!)).paths).toEqual([]);
    clock.advance(TIE_REFRESH_MS + 60_000);
    const { paths } = await core.intros.paths(T, asker, ids.Goal!);
    expect(paths.map((p) => [p.member.researcherName, p.hops])).toEqual([
      ["Mid", 2],
      ["Near", 3], // Near–Mid (2019) is a warmer weakest link than Far–Mid (2015)
      ["Far", 3],
    ]);
    expect(paths[2]!.nodes.map((n) => n.name)).toEqual(["Far", "Mid", "Late", "Goal"]);
  });
});

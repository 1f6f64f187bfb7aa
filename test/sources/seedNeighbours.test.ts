import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { loadNeighbourWorks, seedNeighbours } from "../../src/sources/demo/seedNeighbours.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("demo seed: works by the co-authors without Frankle", () => {
  it("adds them once, reusing the seeded co-authors, and leaves Frankle's own works alone", async () => {
    const { researcherId } = await seedDemo(t.db);
    await seedNeighbours(t.db);
    const counts = async () => ({
      researchers: await t.db.researcher.count(),
      works: await t.db.work.count(),
      authorships: await t.db.authorship.count(),
    });
    const once = await counts();
    await seedNeighbours(t.db);
    expect(await counts()).toEqual(once);
    expect(once.works).toBe(8 + loadNeighbourWorks().works.length);
    expect(await t.db.authorship.count({ where: { researcherId } })).toBe(8);
    expect(await t.db.researcher.count({ where: { displayName: "Michael Carbin" } })).toBe(1);
    expect(await t.db.researcher.count({ where: { displayName: "Ari S. Morcos" } })).toBe(1);
  });
});

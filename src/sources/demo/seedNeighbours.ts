// Loads the demo's second ring: papers Jonathan Frankle's co-authors wrote without him
// (neighbour-works.json), so `/researcher suggest Jonathan Frankle` has people to suggest.
// Idempotent like seedDemo, and run after it (`npm run db:seed`); tests that need only the
// reference profile seed it alone.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { searchName } from "../../core/text.js";
import { DEMO_ID_PREFIX } from "./seedDemo.js";

const neighboursSchema = z.object({
  works: z.array(z.object({ type: z.string(), year: z.number().int(), venue: z.string(), title: z.string(), authors: z.array(z.string()).min(1) })),
});

export type NeighbourWorks = z.infer<typeof neighboursSchema>;

export function loadNeighbourWorks(): NeighbourWorks {
  return neighboursSchema.parse(JSON.parse(readFileSync(new URL("./neighbour-works.json", import.meta.url), "utf8")));
}

const demoKey = (name: string) => `${DEMO_ID_PREFIX}${searchName(name).replaceAll(" ", "-")}`;

/** Adds the works and their authors; a co-author already seeded (or imported) is reused by name. */
export async function seedNeighbours(db: Db, data: NeighbourWorks = loadNeighbourWorks()): Promise<void> {
  await db.$transaction(
    async (tx) => {
      for (const w of data.works) {
        const ids: number[] = [];
        for (const name of w.authors) {
          // The oldest researcher of that name with works: the seeded or imported co-author.
          const known = await tx.researcher.findFirst({
            where: { searchName: searchName(name), authorships: { some: {} } },
            orderBy: { id: "asc" },
            select: { id: true },
          });
          const p =
            known ??
            (await tx.researcher.upsert({
              where: { openalexId: demoKey(name) },
              update: {},
              create: { displayName: name, searchName: searchName(name), openalexId: demoKey(name), verificationLevel: 0 },
              select: { id: true },
            }));
          ids.push(p.id);
        }
        const existing = await tx.work.findFirst({ where: { title: w.title, publicationYear: w.year }, select: { id: true } });
        const work =
          existing ??
          (await tx.work.create({ data: { type: w.type, title: w.title, publicationYear: w.year, venue: w.venue }, select: { id: true } }));
        await tx.authorship.createMany({
          data: ids.map((researcherId, i) => ({ workId: work.id, researcherId, position: i + 1 })),
          skipDuplicates: true,
        });
      }
    },
    { timeout: 60_000, maxWait: 15_000 },
  );
}

// Loads the demo dataset (the reference profile, its works, real co-authors and topics).
// Idempotent: keyed on external ids and titles, so running it twice changes nothing.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { searchName } from "../../core/text.js";

const demoSchema = z.object({
  researcher: z.object({
    displayName: z.string(),
    summary: z.string(),
    /** The reference page names no persistent ids, so the demo invents none: it gets a local demo key. */
    openalexId: z.string().optional(),
    orcid: z.string().optional(),
    openToCollaborate: z.boolean(),
    verificationLevel: z.number().int(),
  }),
  works: z.array(
    z.object({
      type: z.string(),
      year: z.number().int(),
      venue: z.string(),
      title: z.string(),
      abstract: z.string(),
      arxivId: z.string().optional(),
      authors: z.array(z.string()).min(1),
      topics: z.array(z.string()),
    }),
  ),
});

export type DemoData = z.infer<typeof demoSchema>;

export function loadDemoData(): DemoData {
  const raw = readFileSync(new URL("./reference-profile.json", import.meta.url), "utf8");
  return demoSchema.parse(JSON.parse(raw));
}

/**
 * Co-authors have no persistent id in the demo data; a stable placeholder key keeps re-seeding
 * idempotent. An OpenAlex import replaces the placeholder with the real id (see GraphWriter).
 */
export const DEMO_ID_PREFIX = "demo:";
const demoKey = (name: string) => `${DEMO_ID_PREFIX}${searchName(name).replaceAll(" ", "-")}`;

export async function seedDemo(db: Db, data: DemoData = loadDemoData()): Promise<{ researcherId: number }> {
  return db.$transaction(async (tx) => {
    const r = data.researcher;
    const key = r.openalexId ?? demoKey(r.displayName);
    // After an OpenAlex import the demo key has become the real id (GraphWriter adopts placeholders):
    // the same name on one of the demo's works is the same person.
    const main =
      (await tx.researcher.findUnique({ where: { openalexId: key } })) ??
      (await tx.researcher.findFirst({
        where: { searchName: searchName(r.displayName), authorships: { some: { work: { title: { in: data.works.map((w) => w.title) } } } } },
        orderBy: { id: "asc" },
      })) ??
      (await tx.researcher.create({ data: { ...r, openalexId: key, searchName: searchName(r.displayName) } }));
    const people = new Map<string, number>([[r.displayName, main.id]]);
    const topicIds = new Map<string, number>();
    // Oldest first, so that among works of the same year the page's order is kept (newest id first).
    for (const w of [...data.works].reverse()) {
      for (const name of w.authors) {
        if (people.has(name)) continue;
        // After an OpenAlex import the co-author is there under the real id: one who shares a work with
        // the researcher and has the same name.
        const imported = await tx.researcher.findFirst({
          where: { searchName: searchName(name), authorships: { some: { work: { authorships: { some: { researcherId: main.id } } } } } },
          select: { id: true },
        });
        const p =
          imported ??
          (await tx.researcher.upsert({
            where: { openalexId: demoKey(name) },
            update: {},
            create: { displayName: name, searchName: searchName(name), openalexId: demoKey(name), verificationLevel: 0 },
          }));
        people.set(name, p.id);
      }
      for (const t of w.topics) {
        if (!topicIds.has(t)) topicIds.set(t, (await tx.topic.upsert({ where: { name: t }, update: {}, create: { name: t } })).id);
      }
      const existing = await tx.work.findFirst({ where: { title: w.title, publicationYear: w.year }, select: { id: true } });
      const work =
        existing ??
        (await tx.work.create({
          data: { type: w.type, title: w.title, abstract: w.abstract, publicationYear: w.year, venue: w.venue, arxivId: w.arxivId },
          select: { id: true },
        }));
      await tx.authorship.createMany({
        data: w.authors.map((name, i) => ({ workId: work.id, researcherId: people.get(name)!, position: i + 1 })),
        skipDuplicates: true,
      });
      await tx.workTopic.createMany({
        data: w.topics.map((t) => ({ workId: work.id, topicId: topicIds.get(t)! })),
        skipDuplicates: true,
      });
    }
    // A researcher's topics are those of their works, weighted by how many works carry them.
    await tx.$executeRaw`
      INSERT INTO researcher_topic (researcher_id, topic_id, weight)
      SELECT a.researcher_id, wt.topic_id, count(*)::int
      FROM authorship a JOIN work_topic wt ON wt.work_id = a.work_id
      WHERE a.researcher_id = ANY(${[...people.values()]})
      GROUP BY a.researcher_id, wt.topic_id
      ON CONFLICT (researcher_id, topic_id) DO UPDATE SET weight = EXCLUDED.weight`;
    return { researcherId: main.id };
  }, SEED_TRANSACTION);
}

/** About a hundred small statements: allow for a busy machine rather than Prisma's 5 s default. */
const SEED_TRANSACTION = { timeout: 60_000, maxWait: 15_000 };

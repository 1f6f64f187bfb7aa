// Small additions to the demo data for graph tests: people, works and claims by name.
import type { Db } from "../../../src/db/client.js";
import { searchName } from "../../../src/core/text.js";
import { TEST_START } from "../../support/clock.js";

export async function person(db: Db, displayName: string): Promise<number> {
  const found = await db.researcher.findFirst({ where: { displayName }, select: { id: true } });
  if (found) return found.id;
  return (await db.researcher.create({ data: { displayName, searchName: searchName(displayName) }, select: { id: true } })).id;
}

/** A work by these authors (created when missing), carrying these topics (created when missing). */
export async function work(db: Db, title: string, year: number, authors: string[], topics: string[] = []): Promise<number> {
  const w = await db.work.create({ data: { type: "article", title, publicationYear: year }, select: { id: true } });
  let position = 1;
  for (const name of authors) {
    await db.authorship.create({ data: { workId: w.id, researcherId: await person(db, name), position: position++ } });
  }
  for (const name of topics) {
    const topic = await db.topic.upsert({ where: { name }, update: {}, create: { name } });
    await db.workTopic.create({ data: { workId: w.id, topicId: topic.id } });
    for (const a of authors) {
      const researcherId = await person(db, a);
      await db.researcherTopic.upsert({
        where: { researcherId_topicId: { researcherId, topicId: topic.id } },
        update: { weight: { increment: 1 } },
        create: { researcherId, topicId: topic.id, weight: 1 },
      });
    }
  }
  return w.id;
}

/** Marks a researcher as claimed by a new account, so they can receive invitations. */
export async function claim(db: Db, displayName: string): Promise<void> {
  const account = await db.account.create({ data: { displayName } });
  await db.researcher.update({ where: { id: await person(db, displayName) }, data: { claimedByAccountId: account.id, claimedAt: TEST_START } });
}

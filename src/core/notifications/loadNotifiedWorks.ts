import type { Db } from "../../db/client.js";
import type { NotifiedWork } from "./notificationMessage.js";

/** Works with their authors in author order, as notification messages show them. */
export async function loadNotifiedWorks(db: Db, workIds: number[]): Promise<NotifiedWork[]> {
  const rows = await db.work.findMany({
    where: { id: { in: workIds } },
    include: { authorships: { orderBy: { position: "asc" }, include: { researcher: { select: { displayName: true } } } } },
  });
  const byId = new Map(rows.map((w) => [w.id, w]));
  return workIds
    .map((id) => byId.get(id))
    .filter((w) => w !== undefined)
    .map((w) => ({
      id: w.id,
      title: w.title,
      type: w.type,
      abstract: w.abstract,
      venue: w.venue,
      year: w.publicationYear,
      doi: w.doi,
      arxivId: w.arxivId,
      openalexId: w.openalexId,
      authors: w.authorships.map((a) => ({ researcherId: a.researcherId, name: a.researcher.displayName })),
    }));
}

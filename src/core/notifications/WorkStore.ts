// Stores works found by ingest: the work (upsert by the source's id), its authors as researchers
// (upsert by the source's id) and the authorships. Writing twice changes nothing.
import { Prisma, type Db } from "../../db/client.js";
import { searchName } from "../text.js";
import type { Clock } from "../context.js";
import type { SourceWork } from "./ScholarlySource.js";

type Tx = Prisma.TransactionClient;

/** "matched to a persistent external id" in the verification model */
const MATCHED = 1;

export class WorkStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Saves one work with its authorships; returns the work's id. */
  async save(work: SourceWork): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.$transaction((tx) => saveWork(tx, work, this.clock.now()), { timeout: 30_000 });
      } catch (error) {
        // Two ingests (or an import) racing on the same author or work: retried, the winner's row is found.
        const conflict = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
        if (!conflict || attempt >= 3) throw error;
      }
    }
  }
}

async function saveWork(tx: Tx, work: SourceWork, now: Date): Promise<number> {
  const workId = await upsertWork(tx, work, now);
  const authors = work.authors;
  if (authors.length === 0) {
    await saveTopics(tx, workId, work.topics);
    return workId;
  }
  // Co-authors Peerlink has not met yet become researchers; an ORCID already held by another row is left off.
  await tx.$executeRaw`
    INSERT INTO researcher (openalex_id, display_name, search_name, orcid, verification_level, updated_at)
    SELECT a.openalex_id, a.display_name, a.search_name,
           CASE WHEN a.orcid IS NULL OR EXISTS (SELECT 1 FROM researcher r WHERE r.orcid = a.orcid) THEN NULL ELSE a.orcid END,
           ${MATCHED}, ${now}
    FROM unnest(${authors.map((a) => a.sourceId)}::text[], ${authors.map((a) => a.displayName)}::text[],
                ${authors.map((a) => searchName(a.displayName))}::text[], ${authors.map((a) => a.orcid)}::text[])
         AS a(openalex_id, display_name, search_name, orcid)
    ON CONFLICT (openalex_id) DO NOTHING`;
  await tx.$executeRaw`
    INSERT INTO authorship (work_id, researcher_id, position)
    SELECT ${workId}, r.id, a.position
    FROM unnest(${authors.map((a) => a.sourceId)}::text[], ${authors.map((a) => a.position)}::int[]) AS a(openalex_id, position)
    JOIN researcher r ON r.openalex_id = a.openalex_id
    ON CONFLICT (work_id, researcher_id) DO NOTHING`;
  await saveTopics(tx, workId, work.topics);
  return workId;
}

/** The work's topics, for "--exclude topic:…" filters; a topic whose name another id holds is left off. */
async function saveTopics(tx: Tx, workId: number, topics: SourceWork["topics"]): Promise<void> {
  if (topics.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO topic (openalex_id, name)
    SELECT * FROM unnest(${topics.map((t) => t.sourceId)}::text[], ${topics.map((t) => t.name)}::text[])
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    INSERT INTO work_topic (work_id, topic_id)
    SELECT ${workId}, t.id FROM topic t WHERE t.openalex_id = ANY(${topics.map((t) => t.sourceId)}::text[])
    ON CONFLICT DO NOTHING`;
}

async function upsertWork(tx: Tx, work: SourceWork, now: Date): Promise<number> {
  const { authors: _authors, topics: _topics, institutionIds: _institutions, referencedWorkIds: _cited, sourceId, ...fields } = work;
  const existing = await tx.work.findUnique({ where: { openalexId: sourceId }, select: { id: true } });
  if (existing) return existing.id;
  // Adopt a row another source made with the same DOI or arXiv id rather than make a duplicate.
  const keys: Prisma.WorkWhereInput[] = [];
  if (fields.doi) keys.push({ doi: fields.doi });
  if (fields.arxivId) keys.push({ arxivId: fields.arxivId });
  const twin = keys.length ? await tx.work.findFirst({ where: { OR: keys }, select: { id: true, openalexId: true } }) : null;
  if (twin && twin.openalexId === null) {
    await tx.work.update({ where: { id: twin.id }, data: { openalexId: sourceId } });
    return twin.id;
  }
  // A preprint and its published version can share an arXiv id or DOI; the second keeps neither.
  if (twin) {
    fields.doi = null;
    fields.arxivId = null;
  }
  const created = await tx.work.create({ data: { ...fields, openalexId: sourceId, createdAt: now }, select: { id: true } });
  return created.id;
}

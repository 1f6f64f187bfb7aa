// Stores works found by ingest: the work (upsert by the source's id), its authors as researchers
// (upsert by the source's id) and the authorships. Writing twice changes nothing. A batch is written
// whole in one transaction of a few multi-row statements (unnest arrays): one transaction
// per work made ingest spend nearly all its time on round trips.
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

  /** Saves works with their authorships and topics, in one transaction; returns each work's id by source id. */
  async saveMany(works: SourceWork[]): Promise<Map<string, number>> {
    if (works.length === 0) return new Map();
    return retryConflicts(() => this.db.$transaction((tx) => saveWorks(tx, works, this.clock.now()), { timeout: 60_000 }));
  }
}

async function retryConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      // Two ingests (or an import) racing on the same author or work: retried, the winner's row is found.
      const conflict = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!conflict || attempt >= 3) throw error;
    }
  }
}

type WorkRow = { id: number; openalex_id: string | null; doi: string | null; arxiv_id: string | null };

async function saveWorks(tx: Tx, works: SourceWork[], now: Date): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const sourceIds = works.map((w) => w.sourceId);
  for (const row of await tx.$queryRaw<WorkRow[]>`SELECT id, openalex_id, doi, arxiv_id FROM work WHERE openalex_id = ANY(${sourceIds}::text[])`)
    ids.set(row.openalex_id!, row.id);
  const fresh = works.filter((w) => !ids.has(w.sourceId));
  if (fresh.length) await insertWorks(tx, fresh, ids, now);
  // A work still without an id lost a race on its DOI or arXiv id to another writer: stored one by one.
  for (const work of works) if (!ids.has(work.sourceId)) ids.set(work.sourceId, await upsertWork(tx, work, now));

  const authors = new Map<string, SourceWork["authors"][number]>();
  const orcids = new Set<string>();
  for (const work of works)
    for (const a of work.authors) {
      if (authors.has(a.sourceId)) continue;
      // One ORCID per researcher: a second author row in the batch with the same ORCID is stored without it.
      const orcid = a.orcid && !orcids.has(a.orcid) ? a.orcid : null;
      if (orcid) orcids.add(orcid);
      authors.set(a.sourceId, { ...a, orcid });
    }
  const people = [...authors.values()];
  if (people.length) {
    await tx.$executeRaw`
      INSERT INTO researcher (openalex_id, display_name, search_name, orcid, verification_level, updated_at)
      SELECT a.openalex_id, a.display_name, a.search_name,
             CASE WHEN a.orcid IS NULL OR EXISTS (SELECT 1 FROM researcher r WHERE r.orcid = a.orcid) THEN NULL ELSE a.orcid END,
             ${MATCHED}, ${now}
      FROM unnest(${people.map((a) => a.sourceId)}::text[], ${people.map((a) => a.displayName)}::text[],
                  ${people.map((a) => searchName(a.displayName))}::text[], ${people.map((a) => a.orcid)}::text[])
           AS a(openalex_id, display_name, search_name, orcid)
      ORDER BY a.openalex_id
      ON CONFLICT (openalex_id) DO NOTHING`;
    const links = works.flatMap((w) => w.authors.map((a) => ({ workId: ids.get(w.sourceId)!, author: a.sourceId, position: a.position })));
    // One statement for the whole batch: the researcher_counts trigger runs once, locking each work in order.
    await tx.$executeRaw`
      INSERT INTO authorship (work_id, researcher_id, position)
      SELECT a.work_id, r.id, a.position
      FROM unnest(${links.map((l) => l.workId)}::int[], ${links.map((l) => l.author)}::text[], ${links.map((l) => l.position)}::int[])
           AS a(work_id, openalex_id, position)
      JOIN researcher r ON r.openalex_id = a.openalex_id
      ON CONFLICT (work_id, researcher_id) DO NOTHING`;
  }

  const tagged = works.flatMap((w) => w.topics.map((t) => ({ workId: ids.get(w.sourceId)!, ...t })));
  if (tagged.length) {
    const topics = [...new Map(tagged.map((t) => [t.sourceId, t.name])).entries()];
    await tx.$executeRaw`
      INSERT INTO topic (openalex_id, name)
      SELECT * FROM unnest(${topics.map((t) => t[0])}::text[], ${topics.map((t) => t[1])}::text[])
      ON CONFLICT DO NOTHING`;
    await tx.$executeRaw`
      INSERT INTO work_topic (work_id, topic_id)
      SELECT p.work_id, t.id FROM unnest(${tagged.map((t) => t.workId)}::int[], ${tagged.map((t) => t.sourceId)}::text[]) AS p(work_id, openalex_id)
      JOIN topic t ON t.openalex_id = p.openalex_id
      ON CONFLICT DO NOTHING`;
  }
  return ids;
}

/**
 * New works in one statement. As `upsertWork` does one by one: a row another source made with the
 * same DOI or arXiv id (and no source id) is adopted, and a work whose DOI or arXiv id another work
 * already holds (a preprint and its published version) keeps neither.
 */
async function insertWorks(tx: Tx, fresh: SourceWork[], ids: Map<string, number>, now: Date): Promise<void> {
  const dois = fresh.flatMap((w) => (w.doi ? [w.doi] : []));
  const arxivIds = fresh.flatMap((w) => (w.arxivId ? [w.arxivId] : []));
  const twins =
    dois.length || arxivIds.length
      ? await tx.$queryRaw<WorkRow[]>`
          SELECT id, openalex_id, doi, arxiv_id FROM work WHERE doi = ANY(${dois}::text[]) OR arxiv_id = ANY(${arxivIds}::text[])`
      : [];
  const byDoi = new Map(twins.filter((t) => t.doi).map((t) => [t.doi!, t]));
  const byArxiv = new Map(twins.filter((t) => t.arxiv_id).map((t) => [t.arxiv_id!, t]));
  const adopted = new Set<number>();
  const rows: SourceWork[] = [];
  const taken = { doi: new Set<string>(), arxiv: new Set<string>() };
  for (const work of fresh) {
    const twin = (work.doi && byDoi.get(work.doi)) || (work.arxivId && byArxiv.get(work.arxivId)) || undefined;
    if (twin && twin.openalex_id === null && !adopted.has(twin.id)) {
      adopted.add(twin.id);
      await tx.work.update({ where: { id: twin.id }, data: { openalexId: work.sourceId } });
      ids.set(work.sourceId, twin.id);
      continue;
    }
    const clash = twin || (work.doi && taken.doi.has(work.doi)) || (work.arxivId && taken.arxiv.has(work.arxivId));
    const row = clash ? { ...work, doi: null, arxivId: null } : work;
    if (row.doi) taken.doi.add(row.doi);
    if (row.arxivId) taken.arxiv.add(row.arxivId);
    rows.push(row);
  }
  if (rows.length === 0) return;
  const inserted = await tx.$queryRaw<{ id: number; openalex_id: string }[]>`
    INSERT INTO work (openalex_id, doi, arxiv_id, type, title, abstract, publication_year, publication_date, venue, source_created_at, created_at)
    SELECT w.openalex_id, w.doi, w.arxiv_id, w.type, w.title, w.abstract, w.publication_year, w.publication_date, w.venue, w.source_created_at, ${now}
    FROM unnest(${rows.map((w) => w.sourceId)}::text[], ${rows.map((w) => w.doi)}::text[], ${rows.map((w) => w.arxivId)}::text[],
                ${rows.map((w) => w.type)}::text[], ${rows.map((w) => w.title)}::text[], ${rows.map((w) => w.abstract)}::text[],
                ${rows.map((w) => w.publicationYear)}::int[], ${rows.map((w) => w.publicationDate)}::date[], ${rows.map((w) => w.venue)}::text[],
                ${rows.map((w) => w.sourceCreatedAt)}::timestamp[])
         AS w(openalex_id, doi, arxiv_id, type, title, abstract, publication_year, publication_date, venue, source_created_at)
    ON CONFLICT DO NOTHING
    RETURNING id, openalex_id`;
  for (const row of inserted) ids.set(row.openalex_id, row.id);
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

// Writes OpenAlex records into the scholarly graph. Every write is keyed on a unique external id
// (OpenAlex id, then ORCID / DOI / arXiv id / ROR / topic name to adopt rows made by other
// sources), and a row is only updated when something differs, so importing twice changes nothing.
import { Prisma, type Db } from "../../db/client.js";
import { searchName } from "../../core/text.js";
import { DEMO_ID_PREFIX } from "../demo/seedDemo.js";
import type { AuthorshipRecord, InstitutionRecord, PersonRecord, TopicRecord, WorkRecord } from "./mapping.js";

type Tx = Prisma.TransactionClient;

/** "matched to a persistent external id" in the verification model */
const MATCHED = 1;

export class GraphWriter {
  constructor(private readonly db: Db) {}

  /** Upserts one researcher; returns its id. */
  async saveResearcher(person: PersonRecord): Promise<number> {
    const ids = await this.inTransaction((tx) => saveResearchers(tx, [person]));
    return ids.get(person.openalexId)!;
  }

  /** Adds or refreshes affiliations; a known later year is never replaced by an earlier one. */
  async saveAffiliations(researcherId: number, affiliations: { institution: InstitutionRecord; lastYear: number | null }[]) {
    await this.inTransaction((tx) => saveAffiliations(tx, researcherId, affiliations));
  }

  /** Topic weights as OpenAlex counts them for the researcher. */
  async saveResearcherTopics(researcherId: number, topics: { topic: TopicRecord; weight: number }[]) {
    await this.inTransaction(async (tx) =>
      saveResearcherTopics(
        tx,
        researcherId,
        topics,
        await saveTopics(
          tx,
          topics.map((t) => t.topic),
        ),
      ),
    );
  }

  /** A work with its authors (upserted as researchers), authorships and topics, atomically. */
  async saveWork(work: WorkRecord): Promise<number> {
    return this.inTransaction(async (tx) => {
      const [workId] = await saveWorks(
        tx,
        [work],
        await saveResearchers(
          tx,
          work.authorships.map((a) => a.person),
        ),
        await saveTopics(tx, work.topics),
      );
      return workId!;
    });
  }

  /**
   * A researcher with their affiliations, topics and a page of works, in one transaction and with
   * the people and topics of every work written together: the first card of a live lookup waits on
   * this, and each transaction and statement is a round trip to Postgres. `then` runs last, inside.
   */
  async saveAuthorWithWorks(
    author: {
      person: PersonRecord;
      affiliations: { institution: InstitutionRecord; lastYear: number | null }[];
      topics: { topic: TopicRecord; weight: number }[];
    },
    works: WorkRecord[],
    then?: (tx: Tx, researcherId: number) => Promise<unknown>,
  ): Promise<number> {
    return this.inTransaction(async (tx) => {
      // The author first: their record is the fuller one when they also appear on a work.
      const people = await saveResearchers(tx, [author.person, ...works.flatMap((w) => w.authorships.map((a) => a.person))]);
      const researcherId = people.get(author.person.openalexId)!;
      const topicIds = await saveTopics(tx, [...author.topics.map((t) => t.topic), ...works.flatMap((w) => w.topics)]);
      await saveAffiliations(tx, researcherId, author.affiliations);
      await saveResearcherTopics(tx, researcherId, author.topics, topicIds);
      await saveWorks(tx, works, people, topicIds);
      await then?.(tx, researcherId);
      return researcherId;
    });
  }

  /**
   * Two imports sharing a co-author or work can race to create the same row; the loser's
   * transaction fails on the unique key and, retried, finds the winner's row.
   */
  private async inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.$transaction(fn, { maxWait: 10_000, timeout: 60_000 });
      } catch (error) {
        const conflict = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
        if (!conflict || attempt >= 3) throw error;
      }
    }
  }
}

/** Returns OpenAlex id -> researcher id for every person given. */
async function saveResearchers(tx: Tx, people: PersonRecord[]): Promise<Map<string, number>> {
  const byOpenalexId = new Map<string, PersonRecord>();
  for (const p of people) if (!byOpenalexId.has(p.openalexId)) byOpenalexId.set(p.openalexId, p);
  const rows = await tx.researcher.findMany({ where: { openalexId: { in: [...byOpenalexId.keys()] } } });
  const ids = new Map<string, number>();
  for (const row of rows) {
    ids.set(row.openalexId!, row.id);
    await refreshResearcher(tx, row, byOpenalexId.get(row.openalexId!)!);
  }
  for (const person of byOpenalexId.values()) {
    if (!ids.has(person.openalexId)) ids.set(person.openalexId, await createResearcher(tx, person));
  }
  return ids;
}

async function saveAffiliations(tx: Tx, researcherId: number, affiliations: { institution: InstitutionRecord; lastYear: number | null }[]) {
  for (const { institution, lastYear } of affiliations) {
    const institutionId = await saveInstitution(tx, institution);
    const key = { researcherId_institutionId: { researcherId, institutionId } };
    const existing = await tx.affiliation.findUnique({ where: key });
    if (!existing) await tx.affiliation.create({ data: { researcherId, institutionId, lastYear } });
    else if (lastYear !== null && (existing.lastYear === null || lastYear > existing.lastYear)) {
      await tx.affiliation.update({ where: key, data: { lastYear } });
    }
  }
}

/** `topicIds`: OpenAlex id -> topic id, from saveTopics, holding at least these topics. */
async function saveResearcherTopics(tx: Tx, researcherId: number, topics: { topic: TopicRecord; weight: number }[], topicIds: Map<string, number>) {
  const existing = new Map((await tx.researcherTopic.findMany({ where: { researcherId } })).map((rt) => [rt.topicId, rt.weight]));
  for (const { topic, weight } of topics) {
    const topicId = topicIds.get(topic.openalexId)!;
    const current = existing.get(topicId);
    if (current === undefined) await tx.researcherTopic.create({ data: { researcherId, topicId, weight } });
    else if (current !== weight) {
      await tx.researcherTopic.update({ where: { researcherId_topicId: { researcherId, topicId } }, data: { weight } });
    }
    existing.set(topicId, weight);
  }
}

/** Works whose people and topics are saved already (`people`, `topicIds`); returns their ids in order. */
async function saveWorks(tx: Tx, works: WorkRecord[], people: Map<string, number>, topicIds: Map<string, number>): Promise<number[]> {
  const workIds = await saveWorkRows(tx, works);
  await saveAuthorships(
    tx,
    works.map((work, i) => ({ workId: workIds[i]!, authorships: work.authorships })),
    people,
  );
  const workTopics = works.flatMap((work, i) =>
    [...new Set(work.topics.map((t) => topicIds.get(t.openalexId)!))].map((topicId) => ({ workId: workIds[i]!, topicId })),
  );
  if (workTopics.length > 0) await tx.workTopic.createMany({ data: workTopics, skipDuplicates: true });
  return workIds;
}

type ResearcherRow = {
  id: number;
  displayName: string;
  openalexId: string | null;
  orcid: string | null;
  citedByCount: number;
  verificationLevel: number;
};

async function refreshResearcher(tx: Tx, row: ResearcherRow, person: PersonRecord) {
  const data: Prisma.ResearcherUpdateInput = {};
  if (row.openalexId !== person.openalexId) data.openalexId = person.openalexId;
  if (row.displayName !== person.displayName) {
    data.displayName = person.displayName;
    data.searchName = searchName(person.displayName);
  }
  if (person.citedByCount !== undefined && row.citedByCount !== person.citedByCount) data.citedByCount = person.citedByCount;
  if (row.verificationLevel < MATCHED) data.verificationLevel = MATCHED;
  // An ORCID is only filled in, never replaced: one already there may come from a verified claim.
  if (person.orcid && !row.orcid && !(await tx.researcher.findUnique({ where: { orcid: person.orcid }, select: { id: true } }))) {
    data.orcid = person.orcid;
  }
  if (Object.keys(data).length > 0) await tx.researcher.update({ where: { id: row.id }, data });
}

async function createResearcher(tx: Tx, person: PersonRecord): Promise<number> {
  const holder = person.orcid ? await tx.researcher.findUnique({ where: { orcid: person.orcid } }) : null;
  if (holder && holder.openalexId === null) {
    // Known by ORCID only (e.g. from a claim): adopt that row rather than make a second person.
    await refreshResearcher(tx, holder, person);
    return holder.id;
  }
  // A demo co-author placeholder (npm run db:seed) with this name becomes the real person.
  const placeholder = await tx.researcher.findFirst({
    where: { openalexId: { startsWith: DEMO_ID_PREFIX }, searchName: searchName(person.displayName) },
    orderBy: { id: "asc" },
  });
  if (placeholder) {
    await refreshResearcher(tx, placeholder, person);
    return placeholder.id;
  }
  const created = await tx.researcher.create({
    data: {
      openalexId: person.openalexId,
      displayName: person.displayName,
      searchName: searchName(person.displayName),
      // OpenAlex sometimes gives one ORCID to two split profiles; the first keeps it.
      orcid: holder ? null : person.orcid,
      citedByCount: person.citedByCount ?? 0,
      verificationLevel: MATCHED,
    },
    select: { id: true },
  });
  return created.id;
}

async function saveAuthorships(tx: Tx, works: { workId: number; authorships: AuthorshipRecord[] }[], people: Map<string, number>) {
  const rows = await tx.authorship.findMany({ where: { workId: { in: works.map((w) => w.workId) } } });
  const existing = new Map(rows.map((a) => [`${a.workId}:${a.researcherId}`, a.position]));
  const missing: { workId: number; researcherId: number; position: number }[] = [];
  for (const { workId, authorships } of works) {
    for (const { person, position } of authorships) {
      const researcherId = people.get(person.openalexId)!;
      const current = existing.get(`${workId}:${researcherId}`);
      if (current === undefined) missing.push({ workId, researcherId, position });
      else if (current !== position) {
        await tx.authorship.update({ where: { workId_researcherId: { workId, researcherId } }, data: { position } });
      }
    }
  }
  if (missing.length > 0) await tx.authorship.createMany({ data: missing, skipDuplicates: true });
}

/**
 * Each work's row id, as saveWorkRow gives it. Works none of whose ids (nor, for the demo seed's
 * id-less rows, title and year) are stored yet, like a new researcher's first page, are created in
 * one statement; otherwise, or when the works share an id among themselves, one by one, so that
 * each sees the rows made before it.
 */
async function saveWorkRows(tx: Tx, works: WorkRecord[]): Promise<number[]> {
  const oneByOne = async () => {
    const ids: number[] = [];
    for (const work of works) ids.push(await saveWorkRow(tx, work));
    return ids;
  };
  const distinct = (values: (string | null)[]) => {
    const present = values.filter((v) => v !== null);
    return new Set(present).size === present.length;
  };
  if (works.length < 2 || ![works.map((w) => w.openalexId), works.map((w) => w.doi), works.map((w) => w.arxivId)].every(distinct)) return oneByOne();
  const keys: Prisma.WorkWhereInput[] = works.flatMap((w) => [
    { openalexId: w.openalexId },
    ...(w.doi ? [{ doi: w.doi }] : []),
    ...(w.arxivId ? [{ arxivId: w.arxivId }] : []),
  ]);
  if (await tx.work.findFirst({ where: { OR: keys }, select: { id: true } })) return oneByOne();
  const sameTitle = works.map((w) => ({ title: { equals: w.title, mode: "insensitive" as const }, publicationYear: w.publicationYear }));
  if (await tx.work.findFirst({ where: { openalexId: null, doi: null, arxivId: null, OR: sameTitle }, select: { id: true } })) return oneByOne();
  const created = await tx.work.createManyAndReturn({
    data: works.map(({ authorships: _a, topics: _t, ...fields }) => fields),
    select: { id: true, openalexId: true },
  });
  const ids = new Map(created.map((c) => [c.openalexId, c.id]));
  return works.map((w) => ids.get(w.openalexId)!);
}

async function saveWorkRow(tx: Tx, work: WorkRecord): Promise<number> {
  const { authorships: _a, topics: _t, ...fields } = work;
  const keys: Prisma.WorkWhereInput[] = [{ openalexId: work.openalexId }];
  if (work.doi) keys.push({ doi: work.doi });
  if (work.arxivId) keys.push({ arxivId: work.arxivId });
  const candidates = await tx.work.findMany({ where: { OR: keys } });
  // Ours if it has this OpenAlex id; otherwise adopt a row another source made with the same DOI/arXiv
  // id or, with no id at all (the demo seed's), the same title and year.
  const own =
    candidates.find((c) => c.openalexId === work.openalexId) ??
    candidates.find((c) => c.openalexId === null) ??
    (await tx.work.findFirst({
      where: {
        openalexId: null,
        doi: null,
        arxivId: null,
        title: { equals: work.title, mode: "insensitive" },
        publicationYear: work.publicationYear,
      },
    })) ??
    undefined;
  const others = candidates.filter((c) => c !== own);
  // OpenAlex can list a preprint and its published version as two works sharing an arXiv id.
  if (fields.doi && others.some((c) => c.doi === fields.doi)) fields.doi = null;
  if (fields.arxivId && others.some((c) => c.arxivId === fields.arxivId)) fields.arxivId = null;

  if (!own) return (await tx.work.create({ data: fields, select: { id: true } })).id;
  const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => !sameValue(own[k], fields[k]));
  if (changed.length > 0) {
    await tx.work.update({ where: { id: own.id }, data: Object.fromEntries(changed.map((k) => [k, fields[k]])) });
  }
  return own.id;
}

/** Returns OpenAlex id -> topic id. Topic names are unique too, so a same-named topic is reused. */
async function saveTopics(tx: Tx, topics: TopicRecord[]): Promise<Map<string, number>> {
  const wanted = new Map(topics.map((t) => [t.openalexId, t]));
  const rows = await tx.topic.findMany({ where: { openalexId: { in: [...wanted.keys()] } } });
  const ids = new Map<string, number>();
  for (const row of rows) {
    ids.set(row.openalexId!, row.id);
    const name = wanted.get(row.openalexId!)!.name;
    if (row.name !== name && !(await tx.topic.findUnique({ where: { name } }))) {
      await tx.topic.update({ where: { id: row.id }, data: { name } });
    }
  }
  for (const topic of wanted.values()) {
    if (ids.has(topic.openalexId)) continue;
    const sameName = await tx.topic.findUnique({ where: { name: topic.name } });
    if (sameName && sameName.openalexId === null) {
      await tx.topic.update({ where: { id: sameName.id }, data: { openalexId: topic.openalexId } });
    }
    const id = sameName?.id ?? (await tx.topic.create({ data: { openalexId: topic.openalexId, name: topic.name } })).id;
    ids.set(topic.openalexId, id);
  }
  return ids;
}

async function saveInstitution(tx: Tx, institution: InstitutionRecord): Promise<number> {
  const keys: Prisma.InstitutionWhereInput[] = [{ openalexId: institution.openalexId }];
  if (institution.ror) keys.push({ ror: institution.ror });
  const candidates = await tx.institution.findMany({ where: { OR: keys } });
  const own = candidates.find((c) => c.openalexId === institution.openalexId) ?? candidates.find((c) => c.openalexId === null);
  const data = { ...institution };
  if (data.ror && candidates.some((c) => c !== own && c.ror === data.ror)) data.ror = null;
  if (!own) return (await tx.institution.create({ data, select: { id: true } })).id;
  const changed = (Object.keys(data) as (keyof typeof data)[]).filter((k) => own[k] !== data[k]);
  if (changed.length > 0) {
    await tx.institution.update({ where: { id: own.id }, data: Object.fromEntries(changed.map((k) => [k, data[k]])) });
  }
  return own.id;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

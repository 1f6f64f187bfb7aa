import type { Db } from "../../db/client.js";
import { CLOSE_COLLABORATOR_MIN_SHARED_WORKS } from "../profiles/ProfileService.js";
import { GRAPH_LIMITS, type GraphEdge, type GraphNode, type ResearchGraph } from "./ResearchGraph.js";

/** A shared work counts half as much every this many years (recent collaborators are closer). */
export const RECENCY_HALF_LIFE_YEARS = 4;

type CoauthorRow = { id: number; name: string; shared: number; last_year: number | null; score: number; total: number; close: number };
/** members: the chosen co-authors on the work; others: its other authors, not in the graph. */
type WorkRow = { id: number; title: string; year: number | null; members: number[]; others: number; total: number };
type TopicRow = { id: number; name: string; weight: number; total: number };
type InstitutionRow = { id: number; name: string; last_year: number | null };
type Pair = { a: number; b: number };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A paper's authors besides the researcher: the ones in the graph by name, the rest counted. */
function withWhom(inGraph: string[], others: number): string {
  if (!inGraph.length) return others ? `with ${plural(others, "co-author")} not shown here` : "single-author";
  return `with ${inGraph.join(", ")}${others ? ` and ${plural(others, "other")}` : ""}`;
}

/**
 * Every query starts from the researcher's own authorship rows (index on researcher_id, work_id)
 * and is cut to the node budget in SQL, so the cost follows one researcher's output, never the
 * table size.
 */
async function closestCoauthors(db: Db, researcherId: number, year: number): Promise<CoauthorRow[]> {
  return db.$queryRaw<CoauthorRow[]>`
    WITH co AS (
      SELECT other.researcher_id AS id,
             count(*)::int AS shared,
             max(w.publication_year) AS last_year,
             sum(power(0.5, greatest(0, ${year}::int - coalesce(w.publication_year, ${year}::int - 10)) / ${RECENCY_HALF_LIFE_YEARS}::float8)) AS score
      FROM authorship mine
      JOIN authorship other ON other.work_id = mine.work_id AND other.researcher_id <> mine.researcher_id
      JOIN work w ON w.id = mine.work_id
      WHERE mine.researcher_id = ${researcherId}
      GROUP BY other.researcher_id
    ), ranked AS (
      SELECT co.*, count(*) OVER ()::int AS total,
             (count(*) FILTER (WHERE shared >= ${CLOSE_COLLABORATOR_MIN_SHARED_WORKS}) OVER ())::int AS close
      FROM co
      ORDER BY score DESC, shared DESC, id
      LIMIT ${GRAPH_LIMITS.coauthors}
    )
    SELECT ranked.id, r.display_name AS name, ranked.shared, ranked.last_year, ranked.score::float8 AS score, ranked.total, ranked.close
    FROM ranked JOIN researcher r ON r.id = ranked.id
    ORDER BY ranked.score DESC, ranked.shared DESC, ranked.id`;
}

/** The researcher's works with the most of the chosen co-authors on them: the papers that tie the graph together. */
async function tyingWorks(db: Db, researcherId: number, coauthorIds: number[]): Promise<WorkRow[]> {
  return db.$queryRaw<WorkRow[]>`
    SELECT w.id, w.title, w.publication_year AS year,
           coalesce(array_agg(a.researcher_id ORDER BY a.position) FILTER (WHERE a.researcher_id IS NOT NULL), '{}') AS members,
           ((SELECT count(*) FROM authorship x WHERE x.work_id = w.id) - 1 - count(a.researcher_id))::int AS others,
           count(*) OVER ()::int AS total
    FROM authorship mine
    JOIN work w ON w.id = mine.work_id
    LEFT JOIN authorship a ON a.work_id = mine.work_id AND a.researcher_id = ANY(${coauthorIds}::int[])
    WHERE mine.researcher_id = ${researcherId}
    GROUP BY w.id
    ORDER BY count(a.researcher_id) DESC, w.publication_year DESC NULLS LAST, w.id DESC
    LIMIT ${GRAPH_LIMITS.works}`;
}

async function mainTopics(db: Db, researcherId: number): Promise<TopicRow[]> {
  return db.$queryRaw<TopicRow[]>`
    SELECT t.id, t.name, rt.weight, count(*) OVER ()::int AS total
    FROM researcher_topic rt JOIN topic t ON t.id = rt.topic_id
    WHERE rt.researcher_id = ${researcherId}
    ORDER BY rt.weight DESC, t.id
    LIMIT ${GRAPH_LIMITS.topics}`;
}

async function institutions(db: Db, researcherId: number): Promise<InstitutionRow[]> {
  return db.$queryRaw<InstitutionRow[]>`
    SELECT i.id, i.name, af.last_year
    FROM affiliation af JOIN institution i ON i.id = af.institution_id
    WHERE af.researcher_id = ${researcherId}
    ORDER BY af.last_year DESC NULLS LAST, i.id
    LIMIT ${GRAPH_LIMITS.institutions}`;
}

/** Links between the chosen nodes themselves: works to their topics, co-authors to shared institutions. */
async function crossLinks(db: Db, workIds: number[], topicIds: number[], coauthorIds: number[], institutionIds: number[]) {
  const [workTopics, coauthorInstitutions] = await Promise.all([
    workIds.length && topicIds.length
      ? db.$queryRaw<
          Pair[]
        >`SELECT work_id AS a, topic_id AS b FROM work_topic WHERE work_id = ANY(${workIds}::int[]) AND topic_id = ANY(${topicIds}::int[])`
      : Promise.resolve([]),
    coauthorIds.length && institutionIds.length
      ? db.$queryRaw<
          Pair[]
        >`SELECT researcher_id AS a, institution_id AS b FROM affiliation WHERE researcher_id = ANY(${coauthorIds}::int[]) AND institution_id = ANY(${institutionIds}::int[])`
      : Promise.resolve([]),
  ]);
  return { workTopics, coauthorInstitutions };
}

/**
 * The neighbourhood of one researcher: closest co-authors (shared works, recent ones weighing
 * more), main topics, institutions and the papers that tie them together — at most
 * MAX_GRAPH_NODES nodes. Returns null when the researcher does not exist.
 */
export async function loadResearchGraph(db: Db, researcherId: number, now: Date): Promise<ResearchGraph | null> {
  const person = await db.researcher.findUnique({ where: { id: researcherId }, select: { id: true, displayName: true } });
  if (!person) return null;
  const year = now.getUTCFullYear();
  const [coauthors, topics, places] = await Promise.all([
    closestCoauthors(db, researcherId, year),
    mainTopics(db, researcherId),
    institutions(db, researcherId),
  ]);
  const coauthorIds = coauthors.map((c) => c.id);
  // Chosen by how much they tie together, listed newest first.
  const works = (await tyingWorks(db, researcherId, coauthorIds)).sort((a, b) => (b.year ?? -Infinity) - (a.year ?? -Infinity) || b.id - a.id);
  const links = await crossLinks(
    db,
    works.map((w) => w.id),
    topics.map((t) => t.id),
    coauthorIds,
    places.map((p) => p.id),
  );

  const center: GraphNode = { key: `r:${person.id}`, kind: "researcher", id: person.id, label: person.displayName, weight: 1, detail: "" };
  const nodes: GraphNode[] = [center];
  const edges: GraphEdge[] = [];
  const maxScore = Math.max(...coauthors.map((c) => c.score), 1e-9);
  for (const c of coauthors) {
    const weight = c.score / maxScore;
    const detail = `${plural(c.shared, "shared work")}${c.last_year ? ` · latest ${c.last_year}` : ""}`;
    nodes.push({ key: `r:${c.id}`, kind: "coauthor", id: c.id, label: c.name, weight, detail });
    edges.push({ source: center.key, target: `r:${c.id}`, strength: weight });
  }
  const maxTopic = Math.max(...topics.map((t) => t.weight), 1);
  for (const t of topics) {
    nodes.push({ key: `t:${t.id}`, kind: "topic", id: t.id, label: t.name, weight: t.weight / maxTopic, detail: plural(t.weight, "work") });
    edges.push({ source: center.key, target: `t:${t.id}`, strength: 0.25 + 0.5 * (t.weight / maxTopic) });
  }
  places.forEach((p, i) => {
    const detail = i === 0 ? `current${p.last_year ? ` (${p.last_year})` : ""}` : p.last_year ? `until ${p.last_year}` : "earlier";
    nodes.push({ key: `i:${p.id}`, kind: "institution", id: p.id, label: p.name, weight: i === 0 ? 1 : 0.6, detail });
    edges.push({ source: center.key, target: `i:${p.id}`, strength: i === 0 ? 0.7 : 0.4 });
  });
  const names = new Map(coauthors.map((c) => [c.id, c.name]));
  const maxTies = Math.max(...works.map((w) => w.members.length), 1);
  for (const w of works) {
    const ties = w.members.map((id) => names.get(id)!).filter(Boolean);
    const detail = [w.year ?? "undated", withWhom(ties, w.others)].join(" · ");
    nodes.push({ key: `w:${w.id}`, kind: "work", id: w.id, label: w.title, weight: w.members.length / maxTies, detail });
    edges.push({ source: center.key, target: `w:${w.id}`, strength: 0.2 });
    for (const id of w.members) edges.push({ source: `w:${w.id}`, target: `r:${id}`, strength: 0.35 });
  }
  for (const { a, b } of links.workTopics) edges.push({ source: `w:${a}`, target: `t:${b}`, strength: 0.15 });
  for (const { a, b } of links.coauthorInstitutions) edges.push({ source: `r:${a}`, target: `i:${b}`, strength: 0.15 });

  return {
    center,
    nodes,
    edges,
    totals: {
      coauthors: coauthors[0]?.total ?? 0,
      closeCollaborators: coauthors[0]?.close ?? 0,
      topics: topics[0]?.total ?? 0,
      works: works[0]?.total ?? 0,
    },
  };
}

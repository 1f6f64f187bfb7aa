// The team map: who here opted in, what they work on and who of them wrote together, as a list, a
// picture (drawn by the research-graph renderer) and a Home tab section. Plain reply data.
import { type Db, sqlPool } from "../../db/client.js";
import type { GraphEdge, GraphNode, ResearchGraph } from "../graph/ResearchGraph.js";
import type { Item, List, Picture } from "../reply.js";
import type { CoauthorTies } from "./CoauthorTies.js";
import type { IntroMembers, Member, Tenant } from "./IntroMembers.js";

export const TEAM_PAGE_SIZE = 10;
/** A picture stays readable at chat size: the most connected members and their commonest topics. */
export const TEAM_PICTURE_LIMITS = { members: 24, topics: 6 } as const;
const TOPICS_PER_MEMBER = 3;

export interface Team {
  members: Member[];
  /** Main topics by researcher id, strongest first. */
  topics: Map<number, string[]>;
  /** Co-author ties between members' records: researcher id → (other researcher id → shared works). */
  ties: Map<number, Map<number, number>>;
}

export async function loadTeam(db: Db, members: IntroMembers, ties: CoauthorTies, tenant: Tenant, now: Date): Promise<Team> {
  const listed = await members.of(tenant);
  const ids = [...new Set(listed.map((m) => m.researcherId))];
  if (ids.length === 0) return { members: [], topics: new Map(), ties: new Map() };
  await ties.ensureFresh(ids, now);
  const [topicRows, tieRows] = await Promise.all([
    sqlPool(db).query<{ researcherId: number; name: string }>({
      text: `
        SELECT researcher_id AS "researcherId", name FROM (
          SELECT rt.researcher_id, t.name, row_number() OVER (PARTITION BY rt.researcher_id ORDER BY rt.weight DESC, t.name) AS rank
          FROM researcher_topic rt JOIN topic t ON t.id = rt.topic_id WHERE rt.researcher_id = ANY($1::int[])
        ) ranked WHERE rank <= $2 ORDER BY researcher_id, rank`,
      values: [ids, TOPICS_PER_MEMBER],
    }),
    ties.between(ids, ids),
  ]);
  const topics = new Map<number, string[]>();
  for (const r of topicRows.rows) topics.set(r.researcherId, [...(topics.get(r.researcherId) ?? []), r.name]);
  const byFrom = new Map<number, Map<number, number>>();
  for (const t of tieRows) {
    if (t.from === t.to) continue;
    if (!byFrom.has(t.from)) byFrom.set(t.from, new Map());
    byFrom.get(t.from)!.set(t.to, t.sharedWorks);
  }
  return { members: listed, topics, ties: byFrom };
}

const papers = (n: number) => `${n} paper${n === 1 ? "" : "s"}`;

function memberItem(team: Team, m: Member): Item {
  const names = new Map(team.members.map((o) => [o.researcherId, o.researcherName]));
  const wrote = [...(team.ties.get(m.researcherId) ?? new Map<number, number>())]
    .sort((a, b) => b[1] - a[1])
    .map(([id, n]) => `${names.get(id)} (${papers(n)})`);
  return {
    title: `${m.researcherName} (here as @${m.handle})`,
    meta: (team.topics.get(m.researcherId) ?? []).join(" · ") || "No topics imported yet",
    text: wrote.length ? `Wrote with ${wrote.join(", ")}.` : "No co-authors among the people listed here yet.",
    actions: [{ id: "lookup", label: "View profile", value: String(m.researcherId) }],
  };
}

/** One page of the team, with the picture on the first. */
export function teamList(team: Team, page: number, where: string): List {
  const pages = Math.max(1, Math.ceil(team.members.length / TEAM_PAGE_SIZE));
  const shown = team.members.slice((page - 1) * TEAM_PAGE_SIZE, page * TEAM_PAGE_SIZE);
  const pairs = [...team.ties.values()].reduce((n, m) => n + m.size, 0) / 2;
  return {
    kind: "list",
    title: `Who works on what in this ${where}`,
    intro: `${team.members.length} claimed profile${team.members.length === 1 ? "" : "s"} listed for intros here, ${pairs} co-author tie${pairs === 1 ? "" : "s"} between them. Only people who opted in (/researcher privacy) appear.`,
    items: shown.map((m) => memberItem(team, m)),
    footer: pages > 1 ? `Page ${page} of ${pages} — /researcher team ${Math.min(page + 1, pages)}` : `Page 1 of 1`,
    picture: page === 1 ? teamPicture(team, where) : undefined,
  };
}

/** Members, their ties to each other and their commonest topics, as a graph the research-graph renderer draws. */
export function teamGraph(team: Team, where: string): ResearchGraph {
  const degree = (m: Member) => team.ties.get(m.researcherId)?.size ?? 0;
  const people = [...new Map(team.members.map((m) => [m.researcherId, m])).values()]
    .sort((a, b) => degree(b) - degree(a) || a.researcherName.localeCompare(b.researcherName))
    .slice(0, TEAM_PICTURE_LIMITS.members);
  const maxDegree = Math.max(1, ...people.map(degree));
  const topicCount = new Map<string, number>();
  for (const m of people) for (const t of team.topics.get(m.researcherId) ?? []) topicCount.set(t, (topicCount.get(t) ?? 0) + 1);
  const topics = [...topicCount].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TEAM_PICTURE_LIMITS.topics);
  const maxTopic = Math.max(1, ...topics.map(([, n]) => n));

  const center: GraphNode = { key: "team", kind: "researcher", id: 0, label: `This ${where}`, weight: 1, detail: `${people.length} people` };
  const nodes: GraphNode[] = [
    center,
    ...people.map((m) => ({
      key: `r:${m.researcherId}`,
      kind: "coauthor" as const,
      id: m.researcherId,
      label: m.researcherName,
      weight: degree(m) / maxDegree,
      detail: `${degree(m)} co-author${degree(m) === 1 ? "" : "s"} here`,
    })),
    ...topics.map(([name, n], i) => ({ key: `t:${i}`, kind: "topic" as const, id: i, label: name, weight: n / maxTopic, detail: `${n} people` })),
  ];
  const shown = new Set(people.map((m) => m.researcherId));
  const maxShared = Math.max(1, ...[...team.ties.values()].flatMap((m) => [...m.values()]));
  const edges: GraphEdge[] = people.map((m) => ({ source: "team", target: `r:${m.researcherId}`, strength: 0.05 }));
  for (const [from, tos] of team.ties) {
    for (const [to, shared] of tos) {
      if (from < to && shown.has(from) && shown.has(to)) edges.push({ source: `r:${from}`, target: `r:${to}`, strength: shared / maxShared });
    }
  }
  const topicKey = new Map(topics.map(([name], i) => [name, `t:${i}`]));
  for (const m of people) {
    for (const t of team.topics.get(m.researcherId) ?? []) {
      const key = topicKey.get(t);
      if (key) edges.push({ source: `r:${m.researcherId}`, target: key, strength: 0.2 });
    }
  }
  return { center, nodes, edges, totals: { coauthors: people.length, closeCollaborators: 0, topics: topics.length, works: 0 } };
}

export function teamPicture(team: Team, where: string): Picture {
  const graph = teamGraph(team, where);
  const people = graph.nodes.filter((n) => n.kind === "coauthor").map((n) => n.label);
  const topics = graph.nodes.filter((n) => n.kind === "topic").map((n) => n.label);
  return {
    kind: "research_graph",
    graph,
    alt: `Team map of this ${where}: ${people.slice(0, 5).join(", ")}${people.length > 5 ? ` and ${people.length - 5} more` : ""}${topics.length ? `; topics ${topics.slice(0, 3).join(", ")}` : ""}.`,
    filename: "team-map.png",
    width: 1200,
    height: 800,
  };
}

/** The Home tab's section: the people here, briefly; the command shows the map. */
export function teamHomeSection(team: Team, size: number): List {
  return {
    kind: "list",
    title: `People here in intros (${team.members.length})`,
    intro:
      team.members.length === 0
        ? "Nobody here has joined intros yet. Join with /researcher privacy on, so colleagues can find your co-author ties."
        : "Who works on what, from the claimed profiles of people who opted in. /researcher team shows the map.",
    items: team.members.slice(0, size).map((m) => memberItem(team, m)),
    footer: team.members.length > size ? `${team.members.length - size} more — /researcher team 2` : undefined,
  };
}

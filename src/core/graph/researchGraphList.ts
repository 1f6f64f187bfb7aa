import type { Item, List, Picture } from "../reply.js";
import { CLOSE_COLLABORATOR_MIN_SHARED_WORKS } from "../profiles/ProfileService.js";
import type { GraphNode, ResearchGraph } from "./ResearchGraph.js";

/** Chat size: legible in a Slack or Discord message without opening the image. */
export const GRAPH_PICTURE_SIZE = { width: 1200, height: 800 } as const;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
const of = (graph: ResearchGraph, kind: GraphNode["kind"]) => graph.nodes.filter((n) => n.kind === kind);
const names = (nodes: GraphNode[], max: number) =>
  nodes.length <= max
    ? nodes.map((n) => n.label).join(", ")
    : `${nodes
        .slice(0, max)
        .map((n) => n.label)
        .join(", ")} and ${nodes.length - max} more`;

/** What the picture shows, in words: for screen readers and clients that show no images. */
export function graphAltText(graph: ResearchGraph): string {
  const parts = [`Research graph of ${graph.center.label}`];
  const coauthors = of(graph, "coauthor");
  if (coauthors.length) parts.push(`closest co-authors ${names(coauthors, 3)}`);
  const topics = of(graph, "topic");
  if (topics.length) parts.push(`topics ${names(topics, 3)}`);
  const places = of(graph, "institution");
  if (places.length) parts.push(`institutions ${names(places, 2)}`);
  const works = of(graph, "work");
  if (works.length) parts.push(`${works.length} connecting paper${works.length === 1 ? "" : "s"}`);
  return `${parts.join("; ")}.`;
}

export function researchGraphPicture(graph: ResearchGraph): Picture {
  return { kind: "research_graph", graph, alt: graphAltText(graph), filename: `research-graph-${graph.center.id}.png`, ...GRAPH_PICTURE_SIZE };
}

/** The neighbourhood as a list (the same facts as the picture), with the picture attached. */
export function researchGraphList(graph: ResearchGraph): List {
  const id = String(graph.center.id);
  const items: Item[] = of(graph, "coauthor").map((c) => ({
    title: c.label,
    meta: `Co-author · ${c.detail}`,
    actions: [{ id: "lookup", label: "View profile", value: String(c.id) }],
  }));
  const topics = of(graph, "topic");
  if (topics.length) items.push({ title: "Main topics", text: topics.map((t) => `${t.label} (${t.detail})`).join(" · ") });
  const places = of(graph, "institution");
  if (places.length) items.push({ title: "Institutions", text: places.map((p) => `${p.label} (${p.detail})`).join(" · ") });
  for (const w of of(graph, "work")) items.push({ title: w.label, meta: `Paper · ${w.detail}` });

  const { coauthors, closeCollaborators, works } = graph.totals;
  const shown = of(graph, "coauthor").length;
  return {
    kind: "list",
    title: `Research graph: ${graph.center.label}`,
    intro: shown
      ? `Closest co-authors (shared works, recent ones weigh more), main topics, institutions and the papers that tie them together (newest first).`
      : `${graph.center.label} has no co-authors in the imported works yet.`,
    items,
    // The card counts close collaborators; this names both numbers, so "2" there and "19" here agree.
    footer:
      `Showing ${shown} of ${plural(coauthors, "co-author")} (${closeCollaborators} of them close collaborators, with ${CLOSE_COLLABORATOR_MIN_SHARED_WORKS}+ shared works, ` +
      `as the profile card counts) and ${of(graph, "work").length} of ${plural(works, "work")}.`,
    actions: [
      { id: "suggest", label: "Suggest collaborators", value: `r:${id}` },
      { id: "lookup", label: "View profile", value: id },
    ],
    picture: researchGraphPicture(graph),
  };
}

// A researcher in context, as plain data: the nodes and edges a picture or a list is made from.
// Computed by loadResearchGraph; drawn outside the core (src/render/graph).

export type GraphNodeKind = "researcher" | "coauthor" | "topic" | "institution" | "work";

export interface GraphNode {
  /** Unique within one graph: "r:12" for people, "t:3" topics, "i:5" institutions, "w:99" works. */
  key: string;
  kind: GraphNodeKind;
  /** The row id in its table (researcher, topic, institution, work). */
  id: number;
  label: string;
  /** 0..1, importance among the nodes of its kind (drives the node's size in a picture). */
  weight: number;
  /** Short facts for a list entry, e.g. "3 shared works · latest 2024". */
  detail: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  /** 0..1: drawn as the edge's width. */
  strength: number;
}

export interface ResearchGraph {
  /** The researcher at the centre; also the first node. */
  center: GraphNode;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** How much exists beyond what the bounded graph shows. */
  /** closeCollaborators: co-authors with 2+ shared works, the number a profile card shows. */
  totals: { coauthors: number; closeCollaborators: number; topics: number; works: number };
}

/** Node budget per kind: a picture stays readable at chat size, and the queries stay bounded. */
export const GRAPH_LIMITS = { coauthors: 10, topics: 4, institutions: 3, works: 7 } as const;

/** At most this many nodes, the centre included. */
export const MAX_GRAPH_NODES = 1 + GRAPH_LIMITS.coauthors + GRAPH_LIMITS.topics + GRAPH_LIMITS.institutions + GRAPH_LIMITS.works;

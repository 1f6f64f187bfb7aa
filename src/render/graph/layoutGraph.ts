// Force-directed placement of a research graph. Deterministic: nodes start on fixed rings (by kind
// and order), d3-force's jiggle uses a seeded generator, and the simulation runs a fixed number of
// ticks without its timer — so the same graph always lands in the same place.
import {
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type SimulationLinkDatum,
  type SimulationNodeDatum,
} from "d3-force";
import type { GraphNode, GraphNodeKind, ResearchGraph } from "../../core/graph/ResearchGraph.js";

export const LAYOUT_TICKS = 300;

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  /** Drawn radius in pixels. */
  r: number;
}

export interface PlacedEdge {
  source: PlacedNode;
  target: PlacedNode;
  strength: number;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

interface SimNode extends SimulationNodeDatum {
  node: GraphNode;
  r: number;
  collide: number;
}

/** Where each kind starts: ring radius and angular offset, so kinds begin apart from each other. */
const START: Record<GraphNodeKind, { ring: number; offset: number }> = {
  researcher: { ring: 0, offset: 0 },
  coauthor: { ring: 230, offset: 0 },
  work: { ring: 130, offset: Math.PI / 7 },
  topic: { ring: 360, offset: Math.PI / 4 },
  institution: { ring: 360, offset: (5 * Math.PI) / 4 },
};

/** Preferred edge length by the kinds it joins. */
function linkDistance(a: GraphNodeKind, b: GraphNodeKind, strength: number): number {
  const kinds = new Set([a, b]);
  if (kinds.has("researcher") && kinds.has("coauthor")) return 250 - 110 * strength;
  if (kinds.has("researcher") && kinds.has("work")) return 150;
  if (kinds.has("researcher")) return 270;
  if (kinds.has("work") && kinds.has("coauthor")) return 110;
  return 170;
}

export function nodeRadius(n: GraphNode): number {
  switch (n.kind) {
    case "researcher":
      return 30;
    case "coauthor":
      return 11 + 11 * n.weight;
    case "topic":
      return 14 + 8 * n.weight;
    case "institution":
      return 15;
    case "work":
      return 7 + 4 * n.weight;
  }
}

/** A small linear congruential generator: d3-force only needs it to break exact ties. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Places the graph in a width × height box (researcher at the centre), leaving `margin` free on
 * every side for labels.
 */
export function layoutGraph(graph: ResearchGraph, box: { width: number; height: number; margin: { x: number; y: number } }): Layout {
  const counts = new Map<GraphNodeKind, number>();
  const seen = new Map<GraphNodeKind, number>();
  for (const n of graph.nodes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  const sim: SimNode[] = graph.nodes.map((node) => {
    const i = seen.get(node.kind) ?? 0;
    seen.set(node.kind, i + 1);
    const { ring, offset } = START[node.kind];
    const spread = node.kind === "topic" || node.kind === "institution" ? Math.PI / 2 : 2 * Math.PI;
    const angle = offset + (spread * (i + 0.5)) / (counts.get(node.kind) ?? 1);
    const r = nodeRadius(node);
    // Labels are wider than nodes: a circle about half a label wide keeps most of them apart.
    const labelHalf = Math.min(node.label.length, 28) * (node.kind === "work" ? 3.4 : 4.2);
    return { node, r, collide: Math.max(r + 16, Math.min(labelHalf, 85)), x: ring * Math.cos(angle), y: ring * Math.sin(angle) };
  });
  const center = sim[0]!;
  center.fx = 0;
  center.fy = 0;
  const byKey = new Map(sim.map((s) => [s.node.key, s]));
  const links: Array<SimulationLinkDatum<SimNode> & { strength: number }> = graph.edges
    .filter((e) => byKey.has(e.source) && byKey.has(e.target))
    .map((e) => ({ source: byKey.get(e.source)!, target: byKey.get(e.target)!, strength: e.strength }));

  const simulation = forceSimulation<SimNode>(sim)
    .randomSource(seeded(0x5eed))
    .force(
      "link",
      forceLink<SimNode, (typeof links)[number]>(links)
        .distance((l) => linkDistance((l.source as SimNode).node.kind, (l.target as SimNode).node.kind, l.strength))
        // Strong ties pull harder, so the closest co-authors stay near the centre.
        .strength((l) => 0.15 + 0.6 * l.strength),
    )
    .force("charge", forceManyBody<SimNode>().strength(-800).distanceMax(1000))
    .force("collide", forceCollide<SimNode>((d) => d.collide).iterations(2))
    // Stronger vertical pull: the picture is wider than tall.
    .force("x", forceX<SimNode>(0).strength(0.03))
    .force("y", forceY<SimNode>(0).strength(0.06))
    .stop();
  simulation.tick(LAYOUT_TICKS);

  // Scale into the box with the centre fixed in the middle; each axis fills its own extent.
  const halfW = box.width / 2 - box.margin.x;
  const halfH = box.height / 2 - box.margin.y;
  const maxX = Math.max(1, ...sim.map((s) => Math.abs(s.x!) + s.r));
  const maxY = Math.max(1, ...sim.map((s) => Math.abs(s.y!) + s.r));
  const sx = halfW / maxX;
  const sy = halfH / maxY;
  const round = (v: number) => Math.round(v * 10) / 10;
  const placed = new Map<SimNode, PlacedNode>(
    sim.map((s) => [s, { ...s.node, r: s.r, x: round(box.width / 2 + s.x! * sx), y: round(box.height / 2 + s.y! * sy) }]),
  );
  return {
    nodes: [...placed.values()],
    edges: links.map((l) => ({ source: placed.get(l.source as SimNode)!, target: placed.get(l.target as SimNode)!, strength: l.strength })),
  };
}

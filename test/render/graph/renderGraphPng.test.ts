import { describe, expect, it } from "vitest";
import type { ResearchGraph } from "../../../src/core/graph/ResearchGraph.js";
import { graphSvg, wrapLabel } from "../../../src/render/graph/graphSvg.js";
import { layoutGraph } from "../../../src/render/graph/layoutGraph.js";
import { renderGraphPng } from "../../../src/render/graph/renderGraphPng.js";
import { renderPicture } from "../../../src/render/renderPicture.js";
import { pngSize } from "../../support/png.js";

const node = (key: string, kind: ResearchGraph["nodes"][number]["kind"], label: string, weight = 1) => ({
  key,
  kind,
  id: Number(key.slice(2)),
  label,
  weight,
  detail: "",
});

const center = node("r:1", "researcher", "Jonathan Frankle");
const graph: ResearchGraph = {
  center,
  nodes: [
    center,
    node("r:2", "coauthor", "Gintare Karolina Dziugaite"),
    node("r:3", "coauthor", "Michael Carbin", 0.5),
    node("t:1", "topic", "Sparse and Low-Rank Neural Networks"),
    node("i:1", "institution", "MosaicML"),
    node("w:1", "work", "Linear Mode Connectivity and the Lottery Ticket Hypothesis"),
  ],
  edges: [
    { source: "r:1", target: "r:2", strength: 1 },
    { source: "r:1", target: "r:3", strength: 0.5 },
    { source: "r:1", target: "t:1", strength: 0.75 },
    { source: "r:1", target: "i:1", strength: 0.7 },
    { source: "r:1", target: "w:1", strength: 0.2 },
    { source: "w:1", target: "r:2", strength: 0.35 },
    { source: "w:1", target: "r:3", strength: 0.35 },
    { source: "w:1", target: "t:1", strength: 0.15 },
  ],
  totals: { coauthors: 2, closeCollaborators: 1, topics: 1, works: 1 },
};

describe("research graph picture", () => {
  it("is a PNG of the requested size", () => {
    expect(pngSize(renderGraphPng(graph, 1200, 800))).toEqual({ width: 1200, height: 800 });
    expect(pngSize(renderGraphPng(graph, 600, 400))).toEqual({ width: 600, height: 400 });
  });

  it("is byte-identical for the same graph", () => {
    const a = renderGraphPng(graph, 1200, 800);
    const b = renderGraphPng(structuredClone(graph), 1200, 800);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("draws text with the shipped font, not whatever the machine has", () => {
    // Without any usable font resvg drops text; with the shipped one, labels add ink.
    const withLabels = renderGraphPng(graph, 1200, 800);
    const unlabeled = renderGraphPng({ ...graph, nodes: graph.nodes.map((n) => ({ ...n, label: "" })), center: { ...center, label: "" } }, 1200, 800);
    expect(withLabels.length).toBeGreaterThan(unlabeled.length + 5_000);
  });

  it("keeps the researcher in the centre and every node inside the picture", () => {
    const { nodes } = layoutGraph(graph, { width: 1200, height: 800, margin: { x: 130, y: 95 } });
    expect(nodes[0]).toMatchObject({ key: "r:1", x: 600, y: 400 });
    for (const n of nodes) {
      expect(n.x - n.r).toBeGreaterThanOrEqual(130 - 0.1);
      expect(n.x + n.r).toBeLessThanOrEqual(1200 - 130 + 0.1);
      expect(n.y - n.r).toBeGreaterThanOrEqual(95 - 0.1);
      expect(n.y + n.r).toBeLessThanOrEqual(800 - 95 + 0.1);
    }
  });

  it("colours nodes by kind, widens strong edges and escapes labels", () => {
    const svg = graphSvg({ ...graph, nodes: [...graph.nodes, node("r:9", "coauthor", 'A <b>&</b> "B"')] }, 1200, 800);
    expect(svg).toContain("A &lt;b&gt;&amp;&lt;/b&gt; &quot;B&quot;");
    expect(svg).toContain('fill="#1d3f8f"'); // researcher
    expect(svg).toContain('fill="#2f9e63"'); // topic
    expect(svg).toMatch(/stroke-width="7"/); // strength 1
    expect(svg).toContain("Research graph · Jonathan Frankle");
  });

  it("draws a researcher with nothing around them yet", () => {
    const alone: ResearchGraph = { center, nodes: [center], edges: [], totals: { coauthors: 0, closeCollaborators: 0, topics: 0, works: 0 } };
    expect(pngSize(renderGraphPng(alone, 1200, 800))).toEqual({ width: 1200, height: 800 });
    expect(layoutGraph(alone, { width: 1200, height: 800, margin: { x: 130, y: 95 } }).nodes[0]).toMatchObject({ x: 600, y: 400 });
  });

  it("wraps long titles onto two lines with an ellipsis", () => {
    expect(wrapLabel("Linear Mode Connectivity and the Lottery Ticket Hypothesis", 28, 2)).toEqual([
      "Linear Mode Connectivity and",
      "the Lottery Ticket…",
    ]);
    expect(wrapLabel("MosaicML", 24, 2)).toEqual(["MosaicML"]);
  });

  it("renders a reply's picture with its filename and alt text", () => {
    const image = renderPicture({
      kind: "research_graph",
      graph,
      alt: "Research graph of Jonathan Frankle.",
      filename: "research-graph-1.png",
      width: 1200,
      height: 800,
    });
    expect(image).toMatchObject({ mimeType: "image/png", filename: "research-graph-1.png", alt: "Research graph of Jonathan Frankle.", width: 1200 });
    expect(pngSize(image.data)).toEqual({ width: 1200, height: 800 });
  });
});

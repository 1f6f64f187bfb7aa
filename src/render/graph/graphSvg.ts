// The research graph as SVG markup: edges (width by strength), nodes coloured and shaped by kind,
// haloed labels, a title and a legend. Text uses only the font family shipped with the renderer.
import type { GraphNodeKind, ResearchGraph } from "../../core/graph/ResearchGraph.js";
import { type Layout, layoutGraph, type PlacedNode } from "./layoutGraph.js";

export const FONT_FAMILY = "Inter";

export const KIND_STYLE: Record<GraphNodeKind, { fill: string; label: string }> = {
  researcher: { fill: "#1d3f8f", label: "Researcher" },
  coauthor: { fill: "#3f8ee8", label: "Co-author" },
  topic: { fill: "#2f9e63", label: "Topic" },
  institution: { fill: "#e38a1f", label: "Institution" },
  work: { fill: "#8a5cc7", label: "Paper" },
};

const INK = "#1c2430";
const MUTED = "#5b6675";
/** Room for the title above and labels beside the outermost nodes. */
const MARGIN = { x: 130, y: 95 };

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
// Control characters are not allowed in XML at all.
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim();

/** Splits a label into at most `lines` lines of about `width` characters, with an ellipsis if cut. */
export function wrapLabel(text: string, width: number, lines: number): string[] {
  const words = clean(text).split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
      if (out.length === lines) break;
    } else line = line ? `${line} ${word}` : word;
  }
  if (out.length < lines && line) out.push(line);
  const used = out.join(" ").length;
  const cut = used < words.join(" ").length;
  return out.map((l, i) => {
    const s = l.length > width ? `${l.slice(0, width - 1)}…` : l;
    return cut && i === out.length - 1 && !s.endsWith("…") ? `${s.replace(/[\s,.:;]+$/, "")}…` : s;
  });
}

function labelOf(n: PlacedNode): { lines: string[]; size: number; weight: number } {
  switch (n.kind) {
    case "researcher":
      return { lines: wrapLabel(n.label, 30, 1), size: 20, weight: 700 };
    case "coauthor":
      return { lines: wrapLabel(n.label, 26, 1), size: 15, weight: 600 };
    case "topic":
    case "institution":
      return { lines: wrapLabel(n.label, 24, 2), size: 14, weight: 600 };
    case "work":
      return { lines: wrapLabel(n.label, 28, 2), size: 12, weight: 400 };
  }
}

function shape(n: PlacedNode): string {
  const fill = KIND_STYLE[n.kind].fill;
  const common = `fill="${fill}" stroke="#ffffff" stroke-width="2.5"`;
  if (n.kind === "topic") {
    const s = n.r;
    return `<polygon points="${n.x},${n.y - s} ${n.x + s},${n.y} ${n.x},${n.y + s} ${n.x - s},${n.y}" ${common}/>`;
  }
  if (n.kind === "institution") {
    const s = n.r;
    return `<rect x="${n.x - s}" y="${n.y - s}" width="${2 * s}" height="${2 * s}" rx="4" ${common}/>`;
  }
  return `<circle cx="${n.x}" cy="${n.y}" r="${n.r}" ${common}/>`;
}

function label(n: PlacedNode, width: number): string {
  const { lines, size, weight } = labelOf(n);
  // Keep the whole label inside the picture: an estimate of its width is enough to clamp it.
  const half = (Math.max(...lines.map((l) => l.length)) * size * 0.56) / 2;
  const x = Math.round(Math.min(width - 8 - half, Math.max(8 + half, n.x)) * 10) / 10;
  const y0 = n.y + n.r + size + 2;
  const tspans = lines.map((l, i) => `<tspan x="${x}" y="${Math.round((y0 + i * size * 1.15) * 10) / 10}">${escapeXml(l)}</tspan>`).join("");
  return `<text font-size="${size}" font-weight="${weight}" fill="${n.kind === "work" ? MUTED : INK}" text-anchor="middle">${tspans}</text>`;
}

/** Explains the colours of the kinds the picture actually shows. */
function legend(height: number, shown: Set<GraphNodeKind>): string {
  const kinds = (Object.entries(KIND_STYLE) as Array<[GraphNodeKind, { fill: string; label: string }]>).filter(([k]) => shown.has(k));
  let x = 24;
  const y = height - 24;
  const parts: string[] = [];
  for (const [, style] of kinds) {
    parts.push(`<circle cx="${x + 7}" cy="${y - 5}" r="7" fill="${style.fill}"/>`);
    parts.push(`<text x="${x + 20}" y="${y}" font-size="14" fill="${MUTED}">${style.label}</text>`);
    x += 30 + style.label.length * 7.6;
  }
  parts.push(`<text x="${x + 12}" y="${y}" font-size="13" fill="${MUTED}">Thicker line = closer tie</text>`);
  return parts.join("");
}

export function layoutForPicture(graph: ResearchGraph, width: number, height: number): Layout {
  return layoutGraph(graph, { width, height, margin: MARGIN });
}

/** The whole picture as an SVG document. */
export function graphSvg(graph: ResearchGraph, width: number, height: number): string {
  const { nodes, edges } = layoutForPicture(graph, width, height);
  const edgeMarkup = edges
    .map((e) => {
      const w = Math.round((1 + 6 * e.strength) * 10) / 10;
      return `<line x1="${e.source.x}" y1="${e.source.y}" x2="${e.target.x}" y2="${e.target.y}" stroke="#8a96a8" stroke-opacity="0.5" stroke-width="${w}" stroke-linecap="round"/>`;
    })
    .join("");
  // Labels after all shapes, so no node covers a label; the halo keeps them readable over edges.
  const title = `Research graph · ${clean(graph.center.label)}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="24" y="44" font-size="26" font-weight="700" fill="${INK}">${escapeXml(title)}</text>`,
    `<g>${edgeMarkup}</g>`,
    `<g>${nodes.map(shape).join("")}</g>`,
    `<g stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">${nodes.map((n) => label(n, width)).join("")}</g>`,
    legend(height, new Set(nodes.map((n) => n.kind))),
    `</svg>`,
  ].join("\n");
}

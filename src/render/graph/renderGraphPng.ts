import { Resvg } from "@resvg/resvg-js";
import type { ResearchGraph } from "../../core/graph/ResearchGraph.js";
import { FONT_FAMILY, graphSvg } from "./graphSvg.js";
import { FONT_FILES } from "./fonts.js";

/** Draws the research graph as a width × height PNG. Same graph, same size → same bytes. */
export function renderGraphPng(graph: ResearchGraph, width: number, height: number): Uint8Array {
  const svg = graphSvg(graph, width, height);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "original" },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return new Uint8Array(resvg.render().asPng());
}

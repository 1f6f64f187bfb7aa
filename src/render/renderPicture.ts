// Turns a Picture from the reply model into image bytes. Adapters call this when a reply carries a
// picture and attach the result the way their platform shows images; the core only describes it.
import type { Picture } from "../core/reply.js";
import { renderGraphPng } from "./graph/renderGraphPng.js";

export interface RenderedPicture {
  data: Uint8Array;
  mimeType: "image/png";
  filename: string;
  alt: string;
  width: number;
  height: number;
}

export function renderPicture(picture: Picture): RenderedPicture {
  const { filename, alt, width, height } = picture;
  switch (picture.kind) {
    case "research_graph":
      return { data: renderGraphPng(picture.graph, width, height), mimeType: "image/png", filename, alt, width, height };
  }
}

// Renders the demo researcher's research graph to docs/images/research-graph.png for the README.
//   npm run graph:example        (uses DATABASE_URL; loads the demo data first, idempotently)
import "dotenv/config";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { runCli } from "../src/runCli.js";
import { connectDatabase } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { loadResearchGraph } from "../src/core/graph/loadResearchGraph.js";
import { researchGraphPicture } from "../src/core/graph/researchGraphList.js";
import { renderPicture } from "../src/render/renderPicture.js";
import { seedDemo } from "../src/sources/demo/seedDemo.js";

/** A fixed "now" so recency weights, and so the picture, do not change with the calendar. */
const AS_OF = new Date("2026-01-01T00:00:00Z");
const OUT = resolve(import.meta.dirname, "../docs/images/research-graph.png");

await runCli(async () => {
  const db = await connectDatabase(loadConfig());
  try {
    const { researcherId } = await seedDemo(db);
    const graph = await loadResearchGraph(db, researcherId, AS_OF);
    if (!graph) throw new Error("the demo researcher was not found after seeding");
    const image = renderPicture(researchGraphPicture(graph));
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, image.data);
    console.log(`${OUT}: ${image.width}×${image.height}, ${image.data.length} bytes\n${image.alt}`);
  } finally {
    await db.$disconnect();
  }
});

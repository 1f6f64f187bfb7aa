import { z } from "zod";
import { loadResearchGraph } from "../graph/loadResearchGraph.js";
import { researchGraphList } from "../graph/researchGraphList.js";
import { type Action, ephemeral, inChannel, notice, type Response } from "../reply.js";
import type { CoreServices } from "../CoreServices.js";
import { defineCommand } from "./Command.js";
import { query } from "./lookup.js";
import { resolveResearcher } from "./resolveResearcher.js";

const graphPick = (id: number): Action => ({ id: "graph", label: "Research graph", value: String(id) });

async function graphResponse(researcherId: number, share: boolean, core: CoreServices): Promise<Response> {
  const graph = await loadResearchGraph(core.db, researcherId, core.clock.now());
  if (!graph) return ephemeral(notice("warning", "That researcher no longer exists."));
  const list = researchGraphList(graph);
  return share ? inChannel(list) : ephemeral(list);
}

export const graphCommand = defineCommand({
  name: "graph",
  aliases: ["network"],
  usage: "/researcher graph <name | ORCID iD | OpenAlex id> [--share]",
  summary: "See a researcher in context: closest co-authors, topics, institutions and the papers that tie them, as a picture.",
  input: z.object({ query, share: z.boolean().default(false) }),
  fromText(text) {
    const share = /(^|\s)--share(\s|$)/.test(text);
    return { query: text.replace(/(^|\s)--share(?=\s|$)/g, " ").trim(), share };
  },
  async run({ query, share }, _ctx, core) {
    const resolved = await resolveResearcher(core, query, graphPick);
    if (!resolved.ok) return resolved.response;
    return graphResponse(resolved.researcherId, share, core);
  },
  actions: {
    async graph(value, _ctx, core) {
      const id = Number(value);
      if (!Number.isSafeInteger(id) || id <= 0) return ephemeral(notice("error", "That button is no longer valid."));
      return graphResponse(id, false, core);
    },
  },
});

import { z } from "zod";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import type { Action, Response } from "../reply.js";
import { type Command, defineCommand } from "./Command.js";
import { query } from "./lookup.js";
import { lookupPick, resolveResearcher } from "./resolveResearcher.js";

export interface ResearcherCommandSpec {
  name: string;
  summary: string;
  aliases?: string[];
  /** Checked before the researcher is resolved, e.g. "only channel managers": a reply refuses. */
  refuse?: (ctx: CommandContext) => Response | null;
  /** The button each pick-list entry carries when the name is ambiguous (default: view profile). */
  pick?: (id: number) => Action;
  run(researcherId: number, ctx: CommandContext, core: CoreServices): Promise<Response>;
  actions?: Command["actions"];
}

/**
 * A subcommand whose one argument names a researcher (name, ORCID iD or OpenAlex id): input
 * validation, text parsing and resolution to one researcher — or a pick list, or "not found" —
 * are the same for all of them.
 */
export function researcherCommand(spec: ResearcherCommandSpec): Command<{ query: string }> {
  return defineCommand({
    name: spec.name,
    aliases: spec.aliases,
    usage: `/researcher ${spec.name} <name | ORCID iD | OpenAlex id>`,
    summary: spec.summary,
    input: z.object({ query }),
    fromText: (text) => ({ query: text }),
    async run({ query }, ctx, core) {
      const refused = spec.refuse?.(ctx);
      if (refused) return refused;
      const r = await resolveResearcher(core, query, spec.pick ?? lookupPick);
      return r.ok ? spec.run(r.researcherId, ctx, core) : r.response;
    },
    actions: spec.actions,
  });
}

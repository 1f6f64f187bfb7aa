import { z } from "zod";
import type { CommandContext } from "../context.js";
import type { Core } from "../Core.js";
import { NotificationSettings } from "../notifications/NotificationSettings.js";
import { ephemeral, notice, type Response } from "../reply.js";
import { defineCommand } from "./Command.js";
import { query } from "./lookup.js";
import { lookupPick, resolveResearcher } from "./resolveResearcher.js";

async function setMuted(text: string, muted: boolean, ctx: CommandContext, core: Core): Promise<Response> {
  const r = await resolveResearcher(core, text, lookupPick);
  if (!r.ok) return r.response;
  const name = (await core.profiles.name(r.researcherId)) ?? "that researcher";
  const me = await core.accounts.resolve(ctx.actor);
  const outcome = await new NotificationSettings(core.db).setMuted(me.accountId, r.researcherId, muted);
  if (outcome === null) return ephemeral(notice("info", `You don't follow ${name}. Try /researcher follow ${name}.`));
  if (outcome === "unchanged") return ephemeral(notice("info", muted ? `${name} is already muted.` : `${name} is not muted.`));
  return ephemeral(
    muted
      ? notice("success", `Muted ${name}: you still follow them, but get no messages about their papers. /researcher unmute ${name} to undo.`)
      : notice("success", `Unmuted ${name}: you'll hear about their new papers again.`),
  );
}

export const muteCommand = defineCommand({
  name: "mute",
  usage: "/researcher mute <name | ORCID iD | OpenAlex id>",
  summary: "Keep following a researcher but stop messages about their papers.",
  input: z.object({ query }),
  fromText: (text) => ({ query: text }),
  run: ({ query }, ctx, core) => setMuted(query, true, ctx, core),
});

export const unmuteCommand = defineCommand({
  name: "unmute",
  usage: "/researcher unmute <name | ORCID iD | OpenAlex id>",
  summary: "Hear about a muted researcher's new papers again.",
  input: z.object({ query }),
  fromText: (text) => ({ query: text }),
  run: ({ query }, ctx, core) => setMuted(query, false, ctx, core),
});

import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { NotificationSettings } from "../notifications/NotificationSettings.js";
import { ephemeral, notice, type Response } from "../reply.js";
import { researcherCommand } from "./researcherCommand.js";

async function setMuted(researcherId: number, muted: boolean, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const name = (await core.profiles.name(researcherId)) ?? "that researcher";
  const me = await core.accounts.resolve(ctx.actor);
  const outcome = await new NotificationSettings(core.db).setMuted(me.accountId, researcherId, muted);
  if (outcome === null) return ephemeral(notice("info", `You don't follow ${name}. Try /researcher follow ${name}.`));
  if (outcome === "unchanged") return ephemeral(notice("info", muted ? `${name} is already muted.` : `${name} is not muted.`));
  return ephemeral(
    muted
      ? notice("success", `Muted ${name}: you still follow them, but get no messages about their papers. /researcher unmute ${name} to undo.`)
      : notice("success", `Unmuted ${name}: you'll hear about their new papers again.`),
  );
}

export const muteCommand = researcherCommand({
  name: "mute",
  summary: "Keep following a researcher but stop messages about their papers.",
  run: (id, ctx, core) => setMuted(id, true, ctx, core),
});

export const unmuteCommand = researcherCommand({
  name: "unmute",
  summary: "Hear about a muted researcher's new papers again.",
  run: (id, ctx, core) => setMuted(id, false, ctx, core),
});

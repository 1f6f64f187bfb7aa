import { z } from "zod";
import { NotificationSettings } from "../notifications/NotificationSettings.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand } from "./Command.js";

const PLATFORM_NAMES = { slack: "Slack", discord: "Discord", console: "the console" } as const;

export const notifyCommand = defineCommand({
  name: "notify",
  usage: "/researcher notify here",
  summary: "Send your new-paper messages to this Slack or Discord account (when you linked both).",
  input: z.object({ where: z.literal("here", { error: "Say “/researcher notify here” from the account that should get your messages." }) }),
  fromText: (text) => ({ where: text.trim().toLowerCase() || undefined }),
  async run(_input, ctx, core) {
    if (ctx.actor.platform === "console") {
      return ephemeral(
        notice("warning", "In the console, messages to you are kept in /researcher inbox. To get them in Slack or Discord, run this there."),
      );
    }
    const me = await core.accounts.resolve(ctx.actor);
    await new NotificationSettings(core.db).notifyVia(me.accountId, me.identityId);
    return ephemeral(notice("success", `Your new-paper messages will come here, as direct messages on ${PLATFORM_NAMES[ctx.actor.platform]}.`));
  },
});

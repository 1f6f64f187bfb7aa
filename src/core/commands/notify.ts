import { z } from "zod";
import { NotificationSettings } from "../notifications/NotificationSettings.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand } from "./Command.js";
import { channelOf } from "./subscribe.js";

const PLATFORM_NAMES = { slack: "Slack", discord: "Discord", console: "the console" } as const;

const USAGE = "Say “/researcher notify here”, “/researcher notify mentions on|off” or “/researcher notify also-in-channel on|off”.";
const ON_OFF = "Say on or off, e.g. “/researcher notify mentions off”.";

export const notifyCommand = defineCommand({
  name: "notify",
  usage: "/researcher notify here | mentions <on | off> | also-in-channel <on | off>",
  summary:
    "Where your new-paper messages go (here, when you linked Slack and Discord); whether channel posts about your papers @-mention you; " +
    "whether news in a paper's thread also shows in this channel (channel managers).",
  input: z
    .object({
      setting: z.enum(["here", "mentions", "also-in-channel"], { error: USAGE }),
      value: z.enum(["on", "off"], { error: ON_OFF }).optional(),
    })
    .refine((i) => i.setting === "here" || i.value !== undefined, { message: ON_OFF, path: ["value"] }),
  fromText: (text) => {
    const [setting, value] = text.trim().toLowerCase().split(/\s+/);
    return { setting: setting || undefined, value };
  },
  async run({ setting, value }, ctx, core) {
    const settings = new NotificationSettings(core.db);
    if (setting === "mentions") {
      const me = await core.accounts.resolve(ctx.actor);
      await settings.setMentions(me.accountId, value === "on");
      return ephemeral(
        notice(
          "success",
          value === "on"
            ? "Channel posts about papers of the author record you claimed will @-mention you. (/researcher notify mentions off to stop.)"
            : "Channel posts about your papers will no longer @-mention you. (/researcher notify mentions on to be mentioned again.)",
        ),
      );
    }
    if (setting === "also-in-channel") {
      const channel = channelOf(ctx);
      if (!channel) return ephemeral(notice("warning", "Run this in the channel whose paper threads you want to change (not in a DM)."));
      if (!ctx.permissions.canManageChannel) {
        return ephemeral(notice("error", "Only people who can manage this channel can change where its paper news goes."));
      }
      await settings.setThreadRepliesInChannel(channel, value === "on", core.clock.now());
      return ephemeral(
        notice(
          "success",
          value === "on"
            ? "News about a paper posted here (its published version, a retraction, citations) now goes in the paper's thread and shows in the channel too."
            : "News about a paper posted here (its published version, a retraction, citations) now stays in the paper's thread.",
        ),
      );
    }
    if (ctx.actor.platform === "console") {
      return ephemeral(
        notice("warning", "In the console, messages to you are kept in /researcher inbox. To get them in Slack or Discord, run this there."),
      );
    }
    const me = await core.accounts.resolve(ctx.actor);
    await settings.notifyVia(me.accountId, me.identityId);
    return ephemeral(notice("success", `Your new-paper messages will come here, as direct messages on ${PLATFORM_NAMES[ctx.actor.platform]}.`));
  },
});

import { z } from "zod";
import type { Platform } from "../context.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand } from "./Command.js";

const PLATFORM_NAME: Record<Platform, string> = { slack: "Slack", discord: "Discord", console: "console" };

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

export const linkCommand = defineCommand({
  name: "link",
  usage: "/researcher link [code]",
  summary: "Join your Slack and Discord identities into one account: run it without a code on one, then with the code on the other.",
  input: z.object({
    code: z.string().trim().max(20, "That is not a link code: codes look like ABCD-EFGH.").optional(),
  }),
  fromText: (text) => (text.trim() ? { code: text.trim() } : {}),
  async run({ code }, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    if (!code) {
      const o = await core.linking.issue(me);
      if (o.kind === "rate_limited") {
        return ephemeral(notice("warning", `You've asked for several link codes in the last hour. Try again after ${hhmm(o.retryAt)} UTC.`));
      }
      const minutes = Math.round((o.expiresAt.getTime() - core.clock.now().getTime()) / 60_000);
      return ephemeral(
        notice(
          "success",
          `Your link code is ${o.code}. On your other platform, type /researcher link ${o.code} within ${minutes} minutes. It works once; don't share it.`,
        ),
      );
    }
    const o = await core.linking.redeem(me, code);
    switch (o.kind) {
      case "linked":
        return ephemeral(
          notice(
            "success",
            `Linked: this ${PLATFORM_NAME[ctx.actor.platform]} identity is now part of your Peerlink account. Follows and claims from both are combined.`,
          ),
        );
      case "already_linked":
        return ephemeral(notice("info", "This identity is already part of that account."));
      case "invalid":
        return ephemeral(
          notice(
            "error",
            "That code isn't valid: it may have expired, been used already, or been mistyped. Run /researcher link on your other platform for a new one.",
          ),
        );
      case "too_many_attempts":
        return ephemeral(notice("error", "Too many wrong codes from this identity. Wait an hour, then try again."));
    }
  },
});

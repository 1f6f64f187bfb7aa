import { z } from "zod";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { type Action, ephemeral, notice, type Response } from "../reply.js";
import { defineCommand } from "./Command.js";

const TENANT_WORD = { slack: "workspace", discord: "server", console: "console" } as const;

const toggle = (on: boolean): Action =>
  on
    ? { id: "privacy", label: "Leave intros and the team map", value: "off" }
    : { id: "privacy", label: "Join intros and the team map", value: "on", style: "primary" };

async function status(ctx: CommandContext, core: CoreServices): Promise<Response> {
  const tenant = core.intros.tenantOf(ctx.actor);
  if (!tenant) return ephemeral(notice("info", "Intros are per server: run /researcher privacy in the server where you'd like to be listed."));
  const me = await core.accounts.resolve(ctx.actor);
  const listed = await core.intros.members.isMember(me.identityId);
  const where = TENANT_WORD[tenant.platform];
  return ephemeral(
    notice(
      "info",
      listed
        ? `You're listed in this ${where}'s intros and team map: people here can see your co-author ties and ask you for introductions. Nothing is shown in any other ${where}.`
        : `You're not listed in this ${where}'s intros or team map. If you join, people here see your claimed profile, main topics and co-author ties, and may ask you for introductions (with the same limits and blocks as invitations). Only this ${where}; you can leave at any time.`,
      { actions: [toggle(listed)] },
    ),
  );
}

async function change(on: boolean, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const tenant = core.intros.tenantOf(ctx.actor);
  if (!tenant) return ephemeral(notice("info", "Intros are per server: run /researcher privacy in the server where you'd like to be listed."));
  const me = await core.accounts.resolve(ctx.actor);
  const where = TENANT_WORD[tenant.platform];
  if (on) {
    const { outcome, claimed } = await core.intros.join(me, tenant);
    const unclaimed = claimed === 0 ? " You'll appear once you have claimed your researcher profile (/researcher claim <your name>)." : "";
    return ephemeral(
      notice(
        "success",
        `${outcome === "joined" ? "You've joined" : "You're already in"} this ${where}'s intros and team map.${unclaimed} Leave any time with /researcher privacy off.`,
        { actions: [toggle(true)] },
      ),
    );
  }
  const { left, withdrawn } = await core.intros.leave(me, tenant);
  const requests = withdrawn
    ? ` ${withdrawn} pending intro request${withdrawn === 1 ? " was" : "s were"} withdrawn, and the people who asked were told.`
    : "";
  return ephemeral(
    notice(
      "success",
      `${left ? "You've left" : "You weren't in"} this ${where}'s intros and team map: nobody here sees you there any more.${requests}`,
      { actions: [toggle(false)] },
    ),
  );
}

export const privacyCommand = defineCommand({
  name: "privacy",
  usage: "/researcher privacy [on | off]",
  summary: "Choose whether you appear in this workspace's intros and team map (off by default; per workspace or server).",
  input: z.object({ choice: z.enum(["on", "off"], { error: "Choose on or off." }).optional() }),
  fromText: (text) => (text.trim() ? { choice: text.trim().toLowerCase() } : {}),
  async run({ choice }, ctx, core) {
    return choice === undefined ? status(ctx, core) : change(choice === "on", ctx, core);
  },
  actions: {
    privacy: (value, ctx, core) =>
      value === "on" || value === "off"
        ? change(value === "on", ctx, core)
        : Promise.resolve(ephemeral(notice("error", "That button is no longer valid."))),
  },
});

import { z } from "zod";
import type { Item } from "../reply.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand } from "./Command.js";

const STATUS_WORDS: Record<string, string> = {
  queued: "on its way",
  delivered: "waiting for an answer",
  accepted: "accepted",
  declined: "declined",
  expired: "expired",
  failed: "could not be delivered",
};

const day = (d: Date) => d.toISOString().slice(0, 10);

export const invitesCommand = defineCommand({
  name: "invites",
  aliases: ["invitations"],
  usage: "/researcher invites",
  summary: "List the invitations you've sent and received, with their status.",
  input: z.object({}),
  fromText: () => ({}),
  async run(_input, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    const { sent, received } = await core.invitations.list(me.accountId);
    if (sent.length + received.length === 0) {
      return ephemeral(notice("info", "No invitations yet. Invite someone with /researcher invite <name>: <message>."));
    }
    const items: Item[] = [
      ...received.map((i) => ({
        title: `From ${i.sender.displayName} (to you as ${i.researcher.displayName})`,
        meta: `received ${day(i.createdAt)} · ${STATUS_WORDS[i.status]}`,
        actions:
          i.status === "delivered" || i.status === "queued"
            ? [
                { id: "accept_invite" as const, label: "Accept", value: i.id, style: "primary" as const },
                { id: "decline_invite" as const, label: "Decline", value: i.id },
              ]
            : undefined,
      })),
      ...sent.map((i) => ({
        title: `To ${i.researcher.displayName}`,
        meta: `sent ${day(i.createdAt)} · ${STATUS_WORDS[i.status]}${i.status === "delivered" ? ` · expires ${day(i.expiresAt)}` : ""}`,
      })),
    ];
    return ephemeral({
      kind: "list",
      title: "Your invitations",
      intro: `${received.length} received, ${sent.length} sent (latest first).`,
      items,
    });
  },
});

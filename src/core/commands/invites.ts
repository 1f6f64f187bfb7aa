import { z } from "zod";
import type { Item } from "../reply.js";
import { ephemeral, notice, truncate } from "../reply.js";
import { defineCommand } from "./Command.js";

/** The same status, said to the one it concerns: the recipient answers, the sender waits. */
const RECEIVED_STATUS: Record<string, string> = {
  queued: "waiting for your answer",
  delivered: "waiting for your answer",
  accepted: "you accepted",
  declined: "you declined",
  expired: "expired before you answered",
  failed: "could not be delivered to you",
};
const SENT_STATUS: Record<string, string> = {
  queued: "on its way",
  delivered: "delivered, waiting for their answer",
  accepted: "accepted: you have each other's contact details",
  declined: "declined",
  expired: "expired without an answer",
  failed: "could not be delivered",
};

/** An invitation's message in the list: enough to recall it (the DM holds it in full). */
const MESSAGE_PREVIEW = 300;

const day = (d: Date) => d.toISOString().slice(0, 10);
const pending = (status: string) => status === "queued" || status === "delivered";

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
        meta: `received ${day(i.createdAt)} · ${RECEIVED_STATUS[i.status]}${pending(i.status) ? ` · answer by ${day(i.expiresAt)}` : ""}`,
        text: `“${truncate(i.message, MESSAGE_PREVIEW)}”`,
        actions: pending(i.status)
          ? [
              { id: "accept_invite" as const, label: "Accept", value: i.id, style: "primary" as const },
              { id: "decline_invite" as const, label: "Decline", value: i.id },
            ]
          : undefined,
      })),
      ...sent.map((i) => ({
        title: `To ${i.researcher.displayName}`,
        meta: `sent ${day(i.createdAt)} · ${SENT_STATUS[i.status]}${pending(i.status) ? ` · expires ${day(i.expiresAt)}` : ""}`,
        text: `“${truncate(i.message, MESSAGE_PREVIEW)}”`,
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

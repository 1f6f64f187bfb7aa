import { z } from "zod";
import { inboxItem } from "../inbox/inboxItem.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand, splitTrailingPage } from "./Command.js";

export const INBOX_PAGE_SIZE = 10;

export const inboxCommand = defineCommand({
  name: "inbox",
  usage: "/researcher inbox [page]",
  summary: "Console: read the messages sent to you (invitations, claim decisions, notices), newest first.",
  // On Slack and Discord the messages are DMs: a slot in Discord's 25 is worth more than a pointer to them.
  platforms: ["console"],
  input: z.object({
    page: z.coerce.number({ error: "The page must be a number." }).int().min(1, "Pages start at 1.").max(10_000).default(1),
  }),
  fromText: (text) => (text.trim() ? { page: splitTrailingPage(`x ${text}`).page ?? text.trim() } : {}),
  async run({ page }, ctx, core) {
    // Slack and Discord keep their own messages: there, they arrive as DMs.
    if (ctx.actor.platform !== "console") {
      return ephemeral(notice("info", "The inbox is for the console. Here, Peerlink's messages to you arrive as direct messages."));
    }
    const reader = { tenantId: ctx.actor.tenantId, userId: ctx.actor.userId, channelId: ctx.channelId };
    const { entries, total } = await core.inbox.list(reader, { skip: (page - 1) * INBOX_PAGE_SIZE, take: INBOX_PAGE_SIZE });
    const who = ctx.actor.displayName ?? ctx.actor.userId;
    if (total === 0)
      return ephemeral(notice("info", `Your inbox is empty, ${who}. Invitations, claim decisions and notices for you will appear here.`));
    const pages = Math.ceil(total / INBOX_PAGE_SIZE);
    if (page > pages) return ephemeral(notice("warning", `Your inbox has ${pages} page${pages === 1 ? "" : "s"}.`));
    return ephemeral({
      kind: "list",
      title: `Inbox of ${who}: ${total} message${total === 1 ? "" : "s"}`,
      intro: "Newest first.",
      items: entries.map(inboxItem),
      footer: pages > 1 ? `Page ${page} of ${pages} — /researcher inbox ${Math.min(page + 1, pages)}` : undefined,
    });
  },
});

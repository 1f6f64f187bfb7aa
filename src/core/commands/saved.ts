// `/researcher saved`: the papers someone kept with "Save" on a notification, newest first. The
// notification buttons live here too: "Save" (save_work) and "Not relevant" (not_relevant).
import { z } from "zod";
import { FeedbackService } from "../alerts/FeedbackService.js";
import { reasonsSentence } from "../notifications/notificationMessage.js";
import { workUrl } from "../profiles/profileCard.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand, splitTrailingPage } from "./Command.js";

export const SAVED_PAGE_SIZE = 10;

export const savedCommand = defineCommand({
  name: "saved",
  usage: "/researcher saved [page]",
  summary: "Your reading list: papers you saved from notifications.",
  input: z.object({
    page: z.coerce.number({ error: "The page must be a number." }).int().min(1, "Pages start at 1.").max(10_000).default(1),
  }),
  fromText: (text) => (text.trim() ? { page: splitTrailingPage(`x ${text}`).page ?? text.trim() } : {}),
  async run({ page }, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    const { total, rows } = await new FeedbackService(core.db, core.clock).saved(me.accountId, (page - 1) * SAVED_PAGE_SIZE, SAVED_PAGE_SIZE);
    if (total === 0) return ephemeral(notice("info", "Your reading list is empty. Press Save on a new-paper message to keep it here."));
    const pages = Math.ceil(total / SAVED_PAGE_SIZE);
    if (page > pages) return ephemeral(notice("warning", `Your reading list has ${pages} page${pages === 1 ? "" : "s"}.`));
    return ephemeral({
      kind: "list",
      title: `Your reading list: ${total} paper${total === 1 ? "" : "s"}`,
      items: rows.map(({ work }) => ({
        title: work.title,
        meta: [work.type, work.publicationYear, work.venue].filter(Boolean).join(" · "),
        url: workUrl(work),
      })),
      footer: `Page ${page} of ${pages}${pages > page ? ` — /researcher saved ${page + 1}` : ""}`,
    });
  },
  actions: {
    async save_work(value, ctx, core) {
      if (!/^\d{1,9}$/.test(value)) return ephemeral(notice("error", "That button is no longer supported."));
      const me = await core.accounts.resolve(ctx.actor);
      const outcome = await new FeedbackService(core.db, core.clock).save(me.accountId, Number(value));
      if (outcome === "gone") return ephemeral(notice("warning", "That paper is no longer in Peerlink."));
      return ephemeral(
        notice(
          outcome === "saved" ? "success" : "info",
          outcome === "saved" ? "Saved to your reading list (/researcher saved)." : "It is already on your reading list (/researcher saved).",
        ),
      );
    },
    async not_relevant(value, ctx, core) {
      if (!/^\d{1,18}$/.test(value)) return ephemeral(notice("error", "That button is no longer supported."));
      const me = await core.accounts.resolve(ctx.actor);
      const outcome = await new FeedbackService(core.db, core.clock).notRelevant(me.accountId, BigInt(value));
      if (outcome.kind === "not_yours") return ephemeral(notice("error", "That button belongs to someone else's message."));
      if (outcome.kind === "no_reasons")
        return ephemeral(notice("info", "This message predates feedback; mute the researcher instead (/researcher mute <name>)."));
      const like = [
        outcome.venue && `in ${outcome.venue}`,
        outcome.coauthors.length && `with ${outcome.coauthors.slice(0, 3).join(", ")}${outcome.coauthors.length > 3 ? " …" : ""}`,
      ]
        .filter(Boolean)
        .join(" or ");
      return ephemeral(
        notice(
          "success",
          `Got it: papers like this one${like ? ` (${like})` : ""} won't be sent to you for ${reasonsSentence(outcome.reasons)} any more.`,
        ),
      );
    },
  },
});

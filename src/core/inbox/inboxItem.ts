// A kept message as one entry of the inbox list: what it says, for whom, when, and its buttons.
import type { Action, Item, Reply } from "../reply.js";
import type { InboxEntry } from "./InboxService.js";

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function body(reply: Reply): Pick<Item, "title" | "text" | "url"> & { actions: Action[] } {
  switch (reply.kind) {
    case "card": {
      const lines = [reply.subtitle, ...reply.fields.map((f) => `${f.label}: ${f.value}`), ...reply.items.map((i) => `• ${i.title}`), reply.context];
      return {
        title: reply.title,
        text: lines.filter(Boolean).join("\n"),
        url: reply.url,
        actions: [...reply.actions, ...reply.items.flatMap((i) => i.actions ?? [])],
      };
    }
    case "list": {
      const lines = [reply.intro, ...reply.items.map((i) => `• ${i.title}${i.meta ? ` (${i.meta})` : ""}`), reply.footer];
      return {
        title: reply.title,
        text: lines.filter(Boolean).join("\n"),
        actions: [...reply.items.flatMap((i) => i.actions ?? []), ...(reply.actions ?? [])],
      };
    }
    case "notice":
      return { title: reply.text, actions: reply.actions ?? [] };
    case "form":
      return { title: reply.title, text: reply.intro, actions: [] };
    case "dashboard":
      return { title: reply.title, text: reply.sections.map((l) => l.title).join("\n"), actions: [] };
  }
}

export function inboxItem(e: InboxEntry): Item {
  const { actions, ...shown } = body(e.reply);
  const to = e.userId ? `for ${e.userId}` : `posted in #${e.channelId}`;
  return { ...shown, meta: `${to} · ${when(e.createdAt)}`, actions: actions.length ? actions : undefined };
}

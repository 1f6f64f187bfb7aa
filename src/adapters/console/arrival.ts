// A message for a local user, shown in the running shell the moment it is sent. Its buttons are
// named, not numbered: numbers press the last reply's buttons, and this may be someone else's.
import type { CommandContext } from "../../core/context.js";
import type { InboxEntry } from "../../core/inbox/InboxService.js";
import type { Action, Item, Reply } from "../../core/reply.js";
import { clean, collectActions, renderText } from "./render.js";

const bare = (i: Item): Item => ({ ...i, actions: undefined });

function withoutActions(reply: Reply): Reply {
  switch (reply.kind) {
    case "card":
      return { ...reply, actions: [], items: reply.items.map(bare) };
    case "list":
      return { ...reply, actions: undefined, items: reply.items.map(bare) };
    case "notice":
      return { ...reply, actions: undefined };
    case "form":
      return reply;
    case "dashboard":
      return { ...reply, sections: reply.sections.map((l) => ({ ...l, actions: undefined, items: l.items.map(bare) })) };
  }
}

export function renderArrival(entry: InboxEntry, current: CommandContext): string {
  const forMe = entry.userId === current.actor.userId || (entry.channelId !== null && entry.channelId === current.channelId);
  const to = entry.userId ? `For ${clean(entry.userId)}` : `Posted in #${clean(entry.channelId ?? "")}`;
  const body = renderText(withoutActions(entry.reply))
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
  const actions: Action[] = collectActions(entry.reply);
  const reader = entry.userId && !forMe ? ` as ${clean(entry.userId)} (/as ${clean(entry.userId)})` : "";
  const hint = actions.length
    ? `  Buttons: ${actions.map((a) => clean(a.label)).join(" · ")} — press them from /researcher inbox${reader}`
    : `  Kept in the inbox of ${entry.userId ? clean(entry.userId) : `everyone in #${clean(entry.channelId ?? "")}`}: /researcher inbox`;
  return `✉ ${to}:\n${body}\n${hint}`;
}

// Message shortcuts ("Find researchers in this message", "Invite the authors of this paper"): Slack
// posts a message_action payload with the message and a response_url; the core reads the text and
// the answer comes back privately through that response_url.
import type { App, MessageShortcut } from "@slack/bolt";
import { messageActions } from "../../../core/messageActions/messageActions.js";
import { deliver, type ReplyTarget } from "../deliver.js";
import { commandText } from "./commands.js";
import { afterAck, commandContext, type SlackDeps } from "./SlackDeps.js";

/** The callback ids in commands/slack-manifest.yml: the core's message action ids. */
export const MESSAGE_SHORTCUT_IDS = Object.keys(messageActions);

/** The message's words as a person reads them: its text, and the links and text of its attachments. */
export function shortcutText(message: MessageShortcut["message"]): string {
  const parts: string[] = [message.text ?? ""];
  const attachments = (message as { attachments?: Array<Record<string, unknown>> }).attachments ?? [];
  for (const a of attachments) for (const key of ["title", "title_link", "text", "from_url"]) if (typeof a[key] === "string") parts.push(a[key]);
  return commandText(parts.join("\n"));
}

export function registerShortcuts(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(
    { type: "message_action", callback_id: new RegExp(`^(${MESSAGE_SHORTCUT_IDS.join("|")})$`) },
    async ({ ack, shortcut, respond, client }) => {
      await ack();
      const teamId = shortcut.team?.id ?? shortcut.user.team_id ?? "";
      const target: ReplyTarget = {
        client,
        respond,
        userId: shortcut.user.id,
        channelId: shortcut.channel.id,
        responseUrl: shortcut.response_url,
        triggerId: shortcut.trigger_id,
      };
      await afterAck(deps, target, { shortcut: shortcut.callback_id }, async () => {
        const ctx = await commandContext(deps, client, { teamId, userId: shortcut.user.id, name: shortcut.user.name }, shortcut.channel.id);
        const response = await deps.core.router.handleMessageAction(shortcut.callback_id, shortcutText(shortcut.message), ctx);
        await deliver(response, target);
      });
    },
  );
}

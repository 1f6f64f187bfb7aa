// `/researcher …`: acknowledge at once, then route the text through the core and reply via response_url.
import type { App, RespondFn } from "@slack/bolt";
import { deliver } from "../deliver.js";
import type { Response } from "../../../core/reply.js";
import { afterAck, commandContext, replacing, showLater, type SlackDeps } from "./SlackDeps.js";

export const SLASH_COMMAND = "/researcher";

/** Slack escapes &, < and > in command text and may wrap links as <url|label>; undo both. */
export function commandText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond: boltRespond, client }) => {
    await ack();
    // After an interim line ("Looking up … in OpenAlex"), the answer replaces it through response_url.
    let replaceNext = false;
    const respond: RespondFn = (message) => {
      const replace = replaceNext;
      replaceNext = false;
      return boltRespond(replace && typeof message !== "string" ? { ...message, replace_original: true } : message);
    };
    const target = {
      client,
      respond,
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
      triggerId: command.trigger_id,
    };
    await afterAck(deps, target, { command: (command.text ?? "").slice(0, 100) }, async () => {
      const ctx = await commandContext(
        deps,
        client,
        { teamId: command.team_id, userId: command.user_id, name: command.user_name },
        command.channel_id,
      );
      ctx.progress = async (text) => {
        await boltRespond({ response_type: "ephemeral", replace_original: false, text });
        replaceNext = true;
      };
      let later: (() => Promise<Response | null>) | undefined;
      ctx.replaceLater = (next) => (later = next);
      const response = await deps.core.router.handleText(commandText(command.text ?? ""), ctx);
      await deliver(response, target);
      // e.g. a card whose counts were still arriving: the whole card takes its place through response_url.
      if (later)
        showLater(deps, target, { command: (command.text ?? "").slice(0, 100) }, later, (r) =>
          deliver(r, { ...target, respond: replacing(boltRespond) }),
        );
    });
  });
}

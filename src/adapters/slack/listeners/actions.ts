// Buttons: every Peerlink button's action_id names a core ActionId and its value is the core's value,
// so every press goes through core.router.handleAction — new actions need no adapter change.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Response } from "../../../core/reply.js";
import { deliver, type ReplyTarget } from "../deliver.js";
import { ACTION_PATTERN, parseActionId } from "../render.js";
import { parseHomePages } from "../../../core/home/HomeService.js";
import { publishHome } from "./home.js";
import { afterAck, commandContext, replacing, showLater, type SlackDeps } from "./SlackDeps.js";

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: "block_actions", action_id: ACTION_PATTERN }, async ({ ack, body, action, respond, client }) => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const channelId = body.channel?.id;
    const fromHome = body.view?.type === "home";
    const target: ReplyTarget = {
      client,
      respond: body.response_url ? respond : undefined,
      userId: body.user.id,
      channelId,
      responseUrl: body.response_url,
      triggerId: body.trigger_id,
    };
    const actionId = parseActionId(action.action_id);
    await afterAck(deps, target, { action: action.action_id }, async () => {
      const ctx = await commandContext(deps, client, { teamId, userId: body.user.id, name: body.user.name ?? body.user.username }, channelId);
      // The Home tab is a view, not a message: a page turn publishes it again (a forged value: page 1 everywhere).
      if (fromHome && actionId === "home_page") return publishHome(deps, client, ctx.actor, parseHomePages(action.value ?? "") ?? {});
      let later: (() => Promise<Response | null>) | undefined;
      // A fuller answer for later can only replace an ephemeral message through this response_url,
      // and that is the pressed one (e.g. a pick list): the answer takes its place now, and again later.
      if (body.response_url && body.container?.is_ephemeral === true && !fromHome) ctx.replaceLater = (next) => (later = next);
      const response = actionId
        ? await deps.core.router.handleAction(actionId, action.value ?? "", ctx)
        : {
            visibility: "ephemeral" as const,
            reply: { kind: "notice" as const, level: "error" as const, text: "That button is no longer supported." },
          };
      if (fromHome) {
        // The home tab shows the new state; only things worth reading (cards, problems) also go to the DM.
        await publishHome(deps, client, ctx.actor);
        const quiet = response.reply.kind === "notice" && (response.reply.level === "success" || response.reply.level === "info");
        if (quiet) return;
      }
      if (response.inPlace && body.response_url) {
        // The pressed message becomes the answer (e.g. a card whose Follow became Unfollow).
        await deliver(response, { ...target, respond: replacing(respond) });
        return;
      }
      if (later && response.visibility === "ephemeral" && !response.source) {
        const inPlace = { ...target, respond: replacing(respond) };
        await deliver(response, inPlace);
        showLater(deps, target, { action: action.action_id }, later, (r) => deliver(r, inPlace));
        return;
      }
      await deliver(response, target);
    });
  });
}

// link_shared: scholarly links Peerlink knows become compact cards via chat.unfurl; unknown ones are left alone.
import type { App } from "@slack/bolt";
import { LIMITS, renderBlocks } from "../render.js";
import { slackCall } from "../slackCall.js";
import { reportFailure, type SlackDeps } from "./SlackDeps.js";

/** Slack sends at most a handful of links per message; never unfurl more than this many. */
export const MAX_UNFURLS = 5;

export function registerUnfurls(app: App, deps: SlackDeps): void {
  app.event("link_shared", async ({ event, client }) => {
    const unfurls: Record<string, { blocks: ReturnType<typeof renderBlocks> }> = {};
    for (const { url } of event.links.slice(0, MAX_UNFURLS)) {
      const card = await deps.unfurls.unfurl(url).catch((err) => {
        deps.log.error({ err, url }, "unfurl lookup failed");
        return null;
      });
      if (card) unfurls[url] = { blocks: renderBlocks(card, LIMITS.blocks) };
    }
    if (Object.keys(unfurls).length === 0) return;
    // Links shared from the message composer are identified by unfurl_id + source, not channel + ts.
    const where =
      event.unfurl_id && event.source
        ? { unfurl_id: event.unfurl_id, source: event.source as "composer" | "conversations_history" }
        : { channel: event.channel, ts: event.message_ts };
    try {
      await slackCall("unfurl", () => client.chat.unfurl({ ...where, unfurls }));
    } catch (error) {
      // The links stay as they are; nothing else to tell anyone.
      reportFailure(deps, error, { channel: event.channel, event: "link_shared" });
    }
  });
}

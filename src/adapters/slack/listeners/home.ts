// The App Home tab: published fresh each time it is opened, from the core's HomeService.
import type { App } from "@slack/bolt";
import type { Actor } from "../../../core/context.js";
import type { HomePages } from "../../../core/home/HomeService.js";
import { renderHome } from "../render.js";
import { slackCall } from "../slackCall.js";
import { reportFailure, type SlackClient, type SlackDeps } from "./SlackDeps.js";

export async function publishHome(deps: SlackDeps, client: SlackClient, actor: Actor, pages: HomePages = {}): Promise<void> {
  const home = await deps.core.home.load(actor, deps.core.clock.now(), pages);
  await slackCall("home", () => client.views.publish({ user_id: actor.userId, view: renderHome(home, pages) }));
}

export function registerHome(app: App, deps: SlackDeps): void {
  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    const teamId = (body as { team_id?: string }).team_id ?? "";
    try {
      await publishHome(deps, client, { platform: "slack", tenantId: teamId, userId: event.user });
    } catch (error) {
      reportFailure(deps, error, { teamId, user: event.user, event: "app_home_opened" });
    }
  });
}

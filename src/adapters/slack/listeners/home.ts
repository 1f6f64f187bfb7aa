// The App Home tab: published fresh each time it is opened, from the core's HomeService.
import type { App } from "@slack/bolt";
import type { Actor } from "../../../core/context.js";
import { type HomePages, parseHomePage } from "../../../core/home/HomeService.js";
import { renderHome } from "../render.js";
import { slackCall } from "../slackCall.js";
import { reportFailure, type SlackClient, type SlackDeps } from "./SlackDeps.js";

export async function publishHome(deps: SlackDeps, client: SlackClient, actor: Actor, pages: HomePages = {}): Promise<void> {
  const home = await deps.home.load(actor, deps.core.clock.now(), pages);
  await slackCall("home", () => client.views.publish({ user_id: actor.userId, view: renderHome(home, pages) }));
}

/**
 * The pages a Home tab showed, kept in its private_metadata, with one section moved by a "More" or
 * "Previous" press (value `<section>:<page>`); the other sections stay where the reader left them.
 */
export function turnHomePage(privateMetadata: string | undefined, value: string): HomePages | undefined {
  const turn = parseHomePage(value);
  if (!turn) return undefined;
  let shown: object = {};
  try {
    const parsed: unknown = JSON.parse(privateMetadata || "{}");
    if (parsed && typeof parsed === "object") shown = parsed;
  } catch {
    // an older Home tab without pages: every other section on page 1
  }
  const pages: HomePages = {};
  for (const [key, page] of Object.entries(shown)) {
    const ok = parseHomePage(`${key}:${String(page)}`);
    if (ok) pages[ok.section] = ok.page;
  }
  return { ...pages, [turn.section]: turn.page };
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

// Multi-workspace housekeeping: when a workspace removes Peerlink, its stored bot token goes too.
import type { App } from "@slack/bolt";
import type { SlackInstallationStore } from "../SlackInstallationStore.js";
import type { SlackDeps } from "./SlackDeps.js";

export function registerInstallations(app: App, deps: SlackDeps, store: SlackInstallationStore): void {
  app.event("app_uninstalled", async ({ body }) => {
    const b = body as { team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean };
    await store.deleteInstallation({ teamId: b.team_id, enterpriseId: b.enterprise_id, isEnterpriseInstall: Boolean(b.is_enterprise_install) });
    deps.log.info({ teamId: b.team_id, enterpriseId: b.enterprise_id }, "slack app uninstalled; installation removed");
  });
}

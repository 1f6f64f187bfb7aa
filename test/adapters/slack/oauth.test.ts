import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackMessenger } from "../../../src/adapters/slack/startSlack.js";
import { loadConfig } from "../../../src/config.js";
import { notice } from "../../../src/core/reply.js";
import { type SlackHarness, startSlackHarness } from "./slackHarness.js";

describe("Slack in many workspaces (OAuth install, installations in Postgres)", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness(undefined, {
      SLACK_BOT_TOKEN: undefined,
      SLACK_CLIENT_ID: "111.222",
      SLACK_CLIENT_SECRET: "client-secret",
      SLACK_STATE_SECRET: "state-secret",
      PUBLIC_URL: "https://peerlink.test",
    });
  });
  afterAll(async () => h?.close());

  async function install(team: string) {
    const start = await fetch(`${h.baseUrl}/slack/install`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.searchParams.get("client_id")).toBe("111.222");
    expect(authorize.searchParams.get("scope")).toContain("commands");
    expect(authorize.searchParams.get("redirect_uri")).toBe("https://peerlink.test/slack/oauth_redirect");
    const state = authorize.searchParams.get("state")!;
    const cookie = start.headers.get("set-cookie")!.split(";")[0]!;
    const done = await fetch(`${h.baseUrl}/slack/oauth_redirect?code=${team}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(done.status).toBe(200);
  }

  it("stores an installation per workspace and answers each workspace with its own token", async () => {
    await install("T0OTHER");
    const row = await h.tdb.db.slackInstallation.findFirstOrThrow({ where: { teamId: "T0OTHER" } });
    expect((row.data as { bot?: { token?: string } }).bot?.token).toBe("xoxb-T0OTHER");

    h.slack.reset();
    const res = await h.command("help", { team_id: "T0OTHER" });
    expect(res.status).toBe(200);
    await h.slack.waitFor(() => h.slack.responses.find((r) => res.responseUrl.endsWith(r.id)));
    const tokens = new Set(h.slack.calls.filter((c) => c.method === "users.info").map((c) => c.token));
    expect(tokens).toEqual(new Set(["xoxb-T0OTHER"]));
  });

  it("reinstalling updates the workspace's installation instead of adding one", async () => {
    await install("T0OTHER");
    expect(await h.tdb.db.slackInstallation.count({ where: { teamId: "T0OTHER" } })).toBe(1);
  });

  it("refuses an OAuth redirect whose state was not issued here", async () => {
    const res = await fetch(`${h.baseUrl}/slack/oauth_redirect?code=T0EVIL&state=forged`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await h.tdb.db.slackInstallation.count({ where: { teamId: "T0EVIL" } })).toBe(0);
  });

  it("sends outbound messages with the bot token of the recipient's workspace", async () => {
    const config = loadConfig({ DATABASE_URL: h.tdb.url, SLACK_API_URL: h.slack.apiUrl, SLACK_CLIENT_ID: "111.222", SLACK_SIGNING_SECRET: "x" });
    const messenger = createSlackMessenger(h.tdb.db, config);
    h.slack.reset();
    await messenger.send({ platform: "slack", tenantId: "T0OTHER", channelId: "C0OTHER" }, notice("info", "New paper"));
    expect(h.slack.callsTo("chat.postMessage")[0]!.token).toBe("xoxb-T0OTHER");
  });

  it("forgets a workspace's installation when it uninstalls Peerlink", async () => {
    await install("T0GONE");
    expect(await h.tdb.db.slackInstallation.count({ where: { teamId: "T0GONE" } })).toBe(1);
    const body = JSON.stringify({
      token: "legacy",
      team_id: "T0GONE",
      api_app_id: "A0PEERLINK",
      event: { type: "app_uninstalled", event_ts: "1700000000.000900" },
      type: "event_callback",
      event_id: "Ev0GONE",
      event_time: 1700000000,
      authorizations: [{ enterprise_id: null, team_id: "T0GONE", user_id: "U0BOT", is_bot: true, is_enterprise_install: false }],
    });
    const res = await h.post("/slack/events", body, "application/json");
    expect(res.status).toBe(200);
    for (let i = 0; i < 100 && (await h.tdb.db.slackInstallation.count({ where: { teamId: "T0GONE" } })) > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await h.tdb.db.slackInstallation.count({ where: { teamId: "T0GONE" } })).toBe(0);
  });
});

// Runs the real Slack adapter (Bolt over HTTP on the shared HttpServer) against the Slack stand-in,
// and sends requests exactly as Slack does: form-encoded slash commands, `payload=` interactions and
// JSON event callbacks, each signed with v0 HMAC-SHA256 over `v0:timestamp:body`.
import { Redis } from "ioredis";
import { RedisReplayGuard } from "../../../src/adapters/slack/replayGuard.js";
import { createHmac } from "node:crypto";
import { startSlack, type SlackService, type SlackTuning } from "../../../src/adapters/slack/startSlack.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { HttpServer } from "../../../src/http/HttpServer.js";
import { createLogger, type Logger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { type SlackStub, startSlackStub } from "../../support/slack-stub.js";
import { testClock } from "../../support/clock.js";
import { wallClockMs } from "../../support/clock.js";

export const SIGNING_SECRET = "test-signing-secret";
export const TEAM = "T0TEST";
export const USER = "U0ADA";
export const CHANNEL = "C0GENERAL";

export interface SlackHarness {
  tdb: TestDatabase;
  slack: SlackStub;
  core: Core;
  service: SlackService;
  researcherId: number;
  baseUrl: string;
  post(path: string, body: string, contentType: string, options?: { timestamp?: number; secret?: string }): Promise<{ status: number; text: string }>;
  command(text: string, extra?: Record<string, string>): Promise<{ status: number; text: string; responseUrl: string }>;
  interaction(payload: object): Promise<{ status: number; text: string }>;
  event(event: object): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

/** The fields Slack sends with a `/researcher` slash command, over HTTP or in a Socket Mode envelope. */
export function slashCommandFields(text: string, responseUrl: string, triggerId: string): Record<string, string> {
  return {
    token: "legacy-verification-token",
    team_id: TEAM,
    team_domain: "peerlink-test",
    channel_id: CHANNEL,
    channel_name: "general",
    user_id: USER,
    user_name: "ada",
    command: "/researcher",
    text,
    api_app_id: "A0PEERLINK",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: triggerId,
  };
}

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

let seq = 0;

/**
 * `env` overrides the single-workspace configuration; an undefined value removes a variable.
 * `options` gives the adapter a logger (silent by default) and its timeouts and failure registry.
 */
export async function startSlackHarness(
  setup?: (core: Core) => void,
  env: Record<string, string | undefined> = {},
  options: { logger?: Logger; tuning?: SlackTuning } = {},
): Promise<SlackHarness> {
  const [tdb, slack] = await Promise.all([createTestDatabase(), startSlackStub()]);
  const { researcherId } = await seedDemo(tdb.db);
  const logger = options.logger ?? createLogger("silent");
  const core = createCore({ clock: testClock(), db: tdb.db, log: logger });
  setup?.(core);
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    ...env,
  });
  const http = new HttpServer();
  // As in production (src/main.ts): a signed request seen before is dropped, remembered in the real Redis.
  const redis = new Redis(tdb.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await redis.connect();
  const replays = new RedisReplayGuard(redis, tdb.redisPrefix, (err) => logger.warn({ err }, "Slack replay check unavailable"));
  const service = await startSlack({ core, config, http, logger, tuning: options.tuning, replays });
  const port = await http.listen(0, "127.0.0.1");
  const baseUrl = `http://127.0.0.1:${port}`;
  slack.channels.set(CHANNEL, { creator: "U0SOMEONE" });

  const post: SlackHarness["post"] = async (path, body, contentType, options = {}) => {
    const timestamp = options.timestamp ?? Math.floor(wallClockMs() / 1000);
    const res = await fetch(`${baseUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": sign(body, timestamp, options.secret),
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  return {
    tdb,
    slack,
    core,
    service,
    researcherId,
    baseUrl,
    post,
    async command(text, extra = {}) {
      const responseUrl = slack.responseUrl();
      const body = new URLSearchParams({ ...slashCommandFields(text, responseUrl, `${++seq}.1234.abcdef`), ...extra }).toString();
      return { ...(await post("/slack/events", body, "application/x-www-form-urlencoded")), responseUrl };
    },
    interaction(payload) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return post("/slack/events", body, "application/x-www-form-urlencoded");
    },
    event(event) {
      const body = JSON.stringify({
        token: "legacy-verification-token",
        team_id: TEAM,
        api_app_id: "A0PEERLINK",
        event,
        type: "event_callback",
        event_id: `Ev${++seq}`,
        event_time: Math.floor(wallClockMs() / 1000),
        authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: "U0BOT", is_bot: true, is_enterprise_install: false }],
      });
      return post("/slack/events", body, "application/json");
    },
    async close() {
      await service.stop();
      await http.close();
      redis.disconnect();
      await slack.close();
      await tdb.drop();
    },
  };
}

/** A button press on a message, shaped like Slack's block_actions payload. */
export function buttonPress(actionId: string, value: string, responseUrl: string, extra: object = {}) {
  return {
    type: "block_actions",
    user: { id: USER, username: "ada", name: "ada", team_id: TEAM },
    api_app_id: "A0PEERLINK",
    token: "legacy-verification-token",
    container: { type: "message", message_ts: "1700000000.000100", channel_id: CHANNEL, is_ephemeral: true },
    trigger_id: `${++seq}.1234.abcdef`,
    team: { id: TEAM, domain: "peerlink-test" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: CHANNEL, name: "general" },
    response_url: responseUrl,
    actions: [
      { action_id: actionId, block_id: "b1", text: { type: "plain_text", text: "Button" }, value, type: "button", action_ts: "1700000001.000200" },
    ],
    ...extra,
  };
}

/**
 * A message shortcut used on a message, shaped like Slack's message_action payload
 * (https://api.slack.com/reference/interaction-payloads/shortcuts): the message itself, the
 * channel it is in, and a response_url for the answer.
 */
export function messageShortcut(callbackId: string, message: { text: string; user?: string; ts?: string }, responseUrl: string, extra: object = {}) {
  const ts = message.ts ?? "1700000000.000500";
  return {
    type: "message_action",
    token: "legacy-verification-token",
    action_ts: "1700000002.000100",
    team: { id: TEAM, domain: "peerlink-test" },
    user: { id: USER, username: "ada", name: "ada", team_id: TEAM },
    channel: { id: CHANNEL, name: "general" },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: `${++seq}.1234.abcdef`,
    response_url: responseUrl,
    message_ts: ts,
    message: { type: "message", user: message.user ?? "U0SOMEONE", ts, text: message.text, client_msg_id: "c0ffee00-0000-4000-8000-000000000001" },
    ...extra,
  };
}

/** A modal submission, shaped like Slack's view_submission payload, for a view Peerlink opened. */
export function viewSubmission(openedView: { private_metadata: string; callback_id: string; title: object }, values: Record<string, string>) {
  return {
    type: "view_submission",
    team: { id: TEAM, domain: "peerlink-test" },
    user: { id: USER, username: "ada", name: "ada", team_id: TEAM },
    api_app_id: "A0PEERLINK",
    token: "legacy-verification-token",
    trigger_id: `${++seq}.1234.abcdef`,
    view: {
      id: "V0MODAL",
      team_id: TEAM,
      type: "modal",
      blocks: [],
      private_metadata: openedView.private_metadata,
      callback_id: openedView.callback_id,
      state: { values: Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { value: { type: "plain_text_input", value } }])) },
      hash: "h",
      title: openedView.title,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: "V0MODAL",
      app_id: "A0PEERLINK",
      external_id: "",
      app_installed_team_id: TEAM,
      bot_id: "B0BOT",
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

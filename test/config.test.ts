import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, slackEnabled } from "../src/config.js";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/peerlink" };

describe("Slack configuration", () => {
  it("runs Slack over HTTP with a bot token and the signing secret", () => {
    expect(slackEnabled(loadConfig({ ...base, SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" }))).toBe(true);
  });

  it("runs Slack in Socket Mode with a bot token and an app token, without a signing secret", () => {
    const config = loadConfig({ ...base, SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(slackEnabled(config)).toBe(true);
    expect(config.slack.appToken).toBe("xapp-1");
  });

  it("says what is missing when only half of Slack is configured", () => {
    expect(() => loadConfig({ ...base, SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(/SLACK_SIGNING_SECRET \(HTTP\) or SLACK_APP_TOKEN \(Socket Mode\)/);
    expect(() => loadConfig({ ...base, SLACK_SIGNING_SECRET: "s" })).toThrow(/SLACK_BOT_TOKEN/);
  });

  it("leaves Slack off when none of its variables are set", () => {
    expect(slackEnabled(loadConfig(base))).toBe(false);
  });
});

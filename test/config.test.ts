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

describe("Console users", () => {
  it("acts as alice, with alice and admin as the local admins, when nothing is set", () => {
    expect(loadConfig(base).console).toEqual({ user: "alice", admins: ["alice", "admin"] });
  });

  it("reads the local admins as a comma-separated list of names, without case", () => {
    expect(loadConfig({ ...base, CONSOLE_USER: "Carol", CONSOLE_ADMINS: " Carol, dave ," }).console).toEqual({
      user: "Carol",
      admins: ["carol", "dave"],
    });
  });

  it("names the variable when a local admin is not a name", () => {
    expect(() => loadConfig({ ...base, CONSOLE_ADMINS: "alice;bob" })).toThrow(/CONSOLE_ADMINS must be names separated by commas/);
  });
});

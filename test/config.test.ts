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

describe("Load limits", () => {
  it("sizes the commands at once from the database pool, keeping two connections back", () => {
    const config = loadConfig(base);
    expect(config.databasePoolSize).toBe(10);
    expect(config.commands).toEqual({ concurrency: 8, queueLength: 200, queueTimeoutMs: 2000 });
    expect(loadConfig({ ...base, DATABASE_POOL_SIZE: "20" }).commands.concurrency).toBe(18);
    expect(loadConfig({ ...base, DATABASE_POOL_SIZE: "2" }).commands.concurrency).toBe(1);
  });

  it("takes the concurrency, queue length and queue timeout as set", () => {
    const config = loadConfig({ ...base, COMMAND_CONCURRENCY: "4", COMMAND_QUEUE_LENGTH: "0", COMMAND_QUEUE_TIMEOUT_SECONDS: "1.5" });
    expect(config.commands).toEqual({ concurrency: 4, queueLength: 0, queueTimeoutMs: 1500 });
  });

  it("names the variable when a limit is not a number it can use", () => {
    expect(() => loadConfig({ ...base, DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ ...base, COMMAND_QUEUE_TIMEOUT_SECONDS: "soon" })).toThrow(/COMMAND_QUEUE_TIMEOUT_SECONDS/);
  });

  it("reminds about unanswered invitations after 48 hours unless told otherwise, and only before they expire", () => {
    expect(loadConfig(base).invitations.remindAfterHours).toBe(48);
    expect(loadConfig({ ...base, INVITE_REMIND_AFTER_HOURS: "12" }).invitations.remindAfterHours).toBe(12);
    expect(() => loadConfig({ ...base, INVITE_REMIND_AFTER_HOURS: "0" })).toThrow(/INVITE_REMIND_AFTER_HOURS/);
    expect(() => loadConfig({ ...base, INVITE_REMIND_AFTER_HOURS: "24", INVITE_EXPIRY_HOURS: "24" })).toThrow(
      /INVITE_REMIND_AFTER_HOURS \(24\) must be less than INVITE_EXPIRY_HOURS \(24\)/,
    );
  });
});

describe("Discord shards", () => {
  const discord = { ...base, DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "1" };
  it("leaves the shards to Discord's recommendation when nothing is set", () => {
    const config = loadConfig(discord);
    expect(config.discord.shardCount).toBeUndefined();
    expect(config.discord.shards).toBeUndefined();
  });

  it("runs every shard of DISCORD_SHARD_COUNT, or the ids and ranges DISCORD_SHARDS names", () => {
    expect(loadConfig({ ...discord, DISCORD_SHARD_COUNT: "3" }).discord.shards).toEqual([0, 1, 2]);
    expect(loadConfig({ ...discord, DISCORD_SHARD_COUNT: "8", DISCORD_SHARDS: "6, 0-2,1" }).discord).toMatchObject({
      shardCount: 8,
      shards: [0, 1, 2, 6],
    });
  });

  it("says what is wrong with a shard list", () => {
    expect(() => loadConfig({ ...discord, DISCORD_SHARDS: "0" })).toThrow(/DISCORD_SHARDS: needs DISCORD_SHARD_COUNT too/);
    expect(() => loadConfig({ ...discord, DISCORD_SHARD_COUNT: "2", DISCORD_SHARDS: "2" })).toThrow(
      /shard 2 does not exist: with DISCORD_SHARD_COUNT=2 the ids are 0 to 1/,
    );
    expect(() => loadConfig({ ...discord, DISCORD_SHARD_COUNT: "4", DISCORD_SHARDS: "3-1" })).toThrow(/the range “3-1” runs backwards/);
    expect(() => loadConfig({ ...discord, DISCORD_SHARD_COUNT: "4", DISCORD_SHARDS: "first" })).toThrow(/“first” is not a shard id or range/);
    expect(() => loadConfig({ ...discord, DISCORD_SHARD_COUNT: "0" })).toThrow(/DISCORD_SHARD_COUNT/);
  });
});

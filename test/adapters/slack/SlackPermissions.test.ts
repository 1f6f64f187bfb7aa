import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackPermissions } from "../../../src/adapters/slack/SlackPermissions.js";
import { type SlackStub, startSlackStub } from "../../support/slack-stub.js";

describe("Slack permissions in the command context", () => {
  let slack: SlackStub;
  let client: InstanceType<typeof webApi.WebClient>;

  beforeAll(async () => {
    slack = await startSlackStub();
    client = new webApi.WebClient("xoxb-test", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    slack.users.set("U0ADMIN", { is_admin: true });
    slack.users.set("U0OWNER", { is_owner: true });
    slack.channels.set("C0MINE", { creator: "U0CREATOR" });
  });
  afterAll(async () => slack?.close());
  beforeEach(() => slack.reset());

  it("treats workspace admins and owners as admins who may manage any channel", async () => {
    const permissions = new SlackPermissions();
    expect(await permissions.of(client, "T1", "U0ADMIN", "C0MINE")).toEqual({ isAdmin: true, canManageChannel: true });
    expect(await permissions.of(client, "T1", "U0OWNER", "C0MINE")).toEqual({ isAdmin: true, canManageChannel: true });
  });

  it("lets a channel's creator manage it, and nobody else who is not an admin", async () => {
    const permissions = new SlackPermissions();
    expect(await permissions.of(client, "T1", "U0CREATOR", "C0MINE")).toEqual({ isAdmin: false, canManageChannel: true });
    expect(await permissions.of(client, "T1", "U0MEMBER", "C0MINE")).toEqual({ isAdmin: false, canManageChannel: false });
  });

  it("lets a user manage their own DM without asking Slack about the channel", async () => {
    const permissions = new SlackPermissions();
    expect(await permissions.of(client, "T1", "U0MEMBER", "D0DM")).toEqual({ isAdmin: false, canManageChannel: true });
    expect(slack.callsTo("conversations.info")).toHaveLength(0);
  });

  it("asks Slack once per user and channel while the answer is fresh", async () => {
    const permissions = new SlackPermissions();
    await Promise.all([permissions.of(client, "T1", "U0CREATOR", "C0MINE"), permissions.of(client, "T1", "U0CREATOR", "C0MINE")]);
    await permissions.of(client, "T1", "U0CREATOR", "C0MINE");
    expect(slack.callsTo("users.info")).toHaveLength(1);
    expect(slack.callsTo("conversations.info")).toHaveLength(1);
  });

  it("grants nothing when Slack cannot say, and asks again next time", async () => {
    const errors: string[] = [];
    const permissions = new SlackPermissions((_e, what) => errors.push(what));
    slack.failNext("users.info", { error: "missing_scope" });
    slack.failNext("conversations.info", { error: "missing_scope" });
    expect(await permissions.of(client, "T1", "U0ADMIN", "C0MINE")).toEqual({ isAdmin: false, canManageChannel: false });
    expect(errors.sort()).toEqual(["conversations.info", "users.info"]);
    expect(await permissions.of(client, "T1", "U0ADMIN", "C0MINE")).toEqual({ isAdmin: true, canManageChannel: true });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackMessenger } from "../../../src/adapters/slack/SlackMessenger.js";
import { PermanentDeliveryError, RateLimitedError } from "../../../src/core/ports.js";
import { notice } from "../../../src/core/reply.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { type SlackStub, startSlackStub } from "../../support/slack-stub.js";

describe("SlackMessenger", () => {
  let tdb: TestDatabase;
  let slack: SlackStub;
  let messenger: SlackMessenger;
  const tokens: Record<string, string> = { T1: "xoxb-team-one", T2: "xoxb-team-two" };

  beforeAll(async () => {
    [tdb, slack] = await Promise.all([createTestDatabase(), startSlackStub()]);
    messenger = new SlackMessenger({ db: tdb.db, apiUrl: slack.apiUrl, botToken: async (team) => tokens[team] });
  });
  afterAll(async () => {
    await slack?.close();
    await tdb?.drop();
  });
  beforeEach(() => slack.reset());

  it("opens a DM once, remembers it on the chat identity, and posts the rendered reply", async () => {
    await tdb.db.chatIdentity.create({
      data: { platform: "slack", tenantId: "T1", userId: "U100", account: { create: { displayName: "Ada" } } },
    });
    const first = await messenger.send({ platform: "slack", tenantId: "T1", userId: "U100" }, notice("success", "New paper by <!channel>"));
    await messenger.send({ platform: "slack", tenantId: "T1", userId: "U100" }, notice("info", "Another"));

    expect(slack.callsTo("conversations.open")).toHaveLength(1);
    expect(slack.callsTo("conversations.open")[0]!.args.users).toBe("U100");
    const identity = await tdb.db.chatIdentity.findFirstOrThrow({ where: { userId: "U100" } });
    expect(identity.dmChannelId).toBe("DU100");
    const posts = slack.callsTo("chat.postMessage");
    expect(posts.map((p) => p.args.channel)).toEqual(["DU100", "DU100"]);
    expect(posts[0]!.token).toBe("xoxb-team-one");
    expect(posts[0]!.args.blocks[0].text.text).toContain("New paper by &lt;!channel&gt;");
    expect(first.messageRef).toMatch(/^DU100:\d+\.\d+$/);
  });

  it("posts to a channel with the workspace's own bot token", async () => {
    const sent = await messenger.send({ platform: "slack", tenantId: "T2", channelId: "C42" }, notice("info", "Hello"));
    const [post] = slack.callsTo("chat.postMessage");
    expect(post!.args.channel).toBe("C42");
    expect(post!.token).toBe("xoxb-team-two");
    expect(sent.messageRef.startsWith("C42:")).toBe(true);
  });

  it("edits a message it sent through chat.update, in place and with the workspace's token", async () => {
    const sent = await messenger.send({ platform: "slack", tenantId: "T2", channelId: "C42" }, notice("info", "Waiting"));
    await messenger.edit({ platform: "slack", tenantId: "T2", messageRef: sent.messageRef }, notice("success", "Decided"));
    const [update] = slack.callsTo("chat.update");
    expect(`${update!.args.channel}:${update!.args.ts}`).toBe(sent.messageRef);
    expect(update!.token).toBe("xoxb-team-two");
    expect(update!.args.blocks[0].text.text).toContain("Decided");
  });

  it("says a message that is gone is gone (PermanentDeliveryError), so nobody retries the edit", async () => {
    slack.failNext("chat.update", { error: "message_not_found" });
    await expect(
      messenger.edit({ platform: "slack", tenantId: "T1", messageRef: "C42:1700000000.000100" }, notice("info", "x")),
    ).rejects.toBeInstanceOf(PermanentDeliveryError);
  });

  it("maps HTTP 429 with Retry-After to RateLimitedError", async () => {
    slack.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const error = await messenger.send({ platform: "slack", tenantId: "T1", channelId: "C1" }, notice("info", "x")).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1); // no silent retry inside the client
  });

  it("maps a `ratelimited` error body to RateLimitedError", async () => {
    slack.failNext("chat.postMessage", { error: "ratelimited" });
    await expect(messenger.send({ platform: "slack", tenantId: "T1", channelId: "C1" }, notice("info", "x"))).rejects.toBeInstanceOf(
      RateLimitedError,
    );
  });

  it.each(["user_not_found", "channel_not_found", "is_archived", "not_in_channel", "account_inactive"])(
    "maps %s to PermanentDeliveryError",
    async (slackError) => {
      slack.failNext("chat.postMessage", { error: slackError });
      await expect(messenger.send({ platform: "slack", tenantId: "T1", channelId: "C1" }, notice("info", "x"))).rejects.toBeInstanceOf(
        PermanentDeliveryError,
      );
    },
  );

  it("treats a workspace without an installation as a permanent failure", async () => {
    await expect(messenger.send({ platform: "slack", tenantId: "T404", channelId: "C1" }, notice("info", "x"))).rejects.toBeInstanceOf(
      PermanentDeliveryError,
    );
  });

  it("leaves other Slack errors retryable", async () => {
    slack.failNext("chat.postMessage", { error: "internal_error" });
    const error = await messenger.send({ platform: "slack", tenantId: "T1", channelId: "C1" }, notice("info", "x")).catch((e) => e);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error).not.toBeInstanceOf(RateLimitedError);
  });
});

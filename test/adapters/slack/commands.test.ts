import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCommand } from "../../../src/core/commands/Command.js";
import { CommandRouter } from "../../../src/core/commands/CommandRouter.js";
import { allCommands } from "../../../src/core/commands/index.js";
import { ephemeral, notice } from "../../../src/core/reply.js";
import { buttonPress, type SlackHarness, startSlackHarness, USER } from "./slackHarness.js";

type AnyBlock = Record<string, any>;

/** A command whose work waits until the test opens the gate: proves the ack does not wait for the core. */
let openGate: () => void = () => {};
const slowCommand = defineCommand({
  name: "slowpoke",
  usage: "/researcher slowpoke",
  summary: "Test only: a core call that takes as long as the test wants.",
  input: z.object({}),
  fromText: () => ({}),
  async run() {
    await new Promise<void>((resolve) => (openGate = resolve));
    return ephemeral(notice("success", "Finally done."));
  },
});

describe("Slack /researcher over HTTP", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness((core) => {
      core.router = new CommandRouter([...allCommands, slowCommand], () => core, { error: () => {} });
    });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  it("acknowledges a lookup at once and replies with a private profile card through response_url", async () => {
    const res = await h.command("Jonathan Frankle");
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => res.responseUrl.endsWith(r.id)));
    expect(reply.body.response_type).toBe("ephemeral");
    const blocks = reply.body.blocks as AnyBlock[];
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: "Jonathan Frankle" } });
    const fieldText = blocks
      .filter((b) => b.fields)
      .flatMap((b) => b.fields.map((f: AnyBlock) => f.text))
      .join("\n");
    expect(fieldText).toMatch(/\*Trust\*/);
    expect(fieldText).toMatch(/\*Verification\*/);
    expect(fieldText).toMatch(/\*Claim\*/);
    expect(JSON.stringify(blocks)).toMatch(/Recent works/);
    const buttons = blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements);
    expect(buttons.map((b: AnyBlock) => b.text.text)).toEqual(expect.arrayContaining(["Follow", "More works", "Share in channel"]));
    expect(buttons.every((b: AnyBlock) => /^pl:[a-z_]+:\d+$/.test(b.action_id))).toBe(true);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it("posts in the channel only when asked with --share", async () => {
    const res = await h.command("Jonathan Frankle --share");
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => res.responseUrl.endsWith(r.id)));
    expect(reply.body.response_type).toBe("in_channel");
    expect(reply.body.blocks[0].text.text).toBe("Jonathan Frankle");
    expect(JSON.stringify(reply.body.blocks)).not.toContain("Share in channel");
  });

  it("shares a card in the channel from the Share button", async () => {
    const url = h.slack.responseUrl();
    await h.interaction(buttonPress("pl:share:4", String(h.researcherId), url));
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => url.endsWith(r.id)));
    expect(reply.body.response_type).toBe("in_channel");
  });

  it("follows a researcher from the Follow button, visible in the database", async () => {
    const url = h.slack.responseUrl();
    const res = await h.interaction(buttonPress("pl:follow:0", String(h.researcherId), url));
    expect(res.status).toBe(200);
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => url.endsWith(r.id)));
    expect(reply.body.response_type).toBe("ephemeral");
    expect(reply.body.text).toMatch(/You now follow Jonathan Frankle/);
    const identity = await h.tdb.db.chatIdentity.findUniqueOrThrow({
      where: { platform_tenantId_userId: { platform: "slack", tenantId: "T0TEST", userId: USER } },
    });
    const follow = await h.tdb.db.follow.findUnique({
      where: { accountId_researcherId: { accountId: identity.accountId, researcherId: h.researcherId } },
    });
    expect(follow).not.toBeNull();
  });

  it("routes subcommands generically: following lists the follow, help lists the commands", async () => {
    const following = await h.command("following");
    const list = await h.slack.waitFor(() => h.slack.responses.find((r) => following.responseUrl.endsWith(r.id)));
    expect(JSON.stringify(list.body.blocks)).toContain("Jonathan Frankle");
    const help = await h.command("help");
    const helpReply = await h.slack.waitFor(() => h.slack.responses.find((r) => help.responseUrl.endsWith(r.id)));
    expect(JSON.stringify(helpReply.body.blocks)).toMatch(/follow/);
  });

  it("answers a mistake with a friendly, private hint", async () => {
    const res = await h.command("--bogus");
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => res.responseUrl.endsWith(r.id)));
    expect(reply.body.response_type).toBe("ephemeral");
    expect(reply.body.text).toMatch(/Unknown option/);
  });

  it("decodes Slack's escaping of the command text", async () => {
    // The demo record carries no OpenAlex id: give it the stand-in's (invented) one.
    await h.tdb.db.researcher.update({ where: { id: h.researcherId }, data: { openalexId: "A5100000000" } });
    const res = await h.command("&lt;https://openalex.org/A5100000000&gt;");
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => res.responseUrl.endsWith(r.id)));
    expect(reply.body.blocks[0].text.text).toBe("Jonathan Frankle");
  });

  it("sends a research graph's picture to the user's DM, so a private reply stays private", async () => {
    const res = await h.command("graph Jonathan Frankle");
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => res.responseUrl.endsWith(r.id)), 15_000);
    expect(reply.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(reply.body.blocks)).toContain("messages with Peerlink");
    const complete = await h.slack.waitFor(() => h.slack.callsTo("files.completeUploadExternal")[0], 15_000);
    expect(complete.args.channel_id).toBe(`D${USER}`);
    const [ask] = h.slack.callsTo("files.getUploadURLExternal");
    expect(ask!.args.filename).toMatch(/\.png$/);
    expect(h.slack.uploads[0]!.bytes).toBeGreaterThan(1000);
  });

  it("acknowledges before a slow core call finishes; the result follows through response_url", async () => {
    const res = await h.command("slowpoke");
    // The HTTP answer is already here while the command is still waiting on its gate.
    expect(res.status).toBe(200);
    expect(h.slack.responses.find((r) => res.responseUrl.endsWith(r.id))).toBeUndefined();
    openGate();
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => res.responseUrl.endsWith(r.id)));
    expect(reply.body.text).toMatch(/Finally done/);
  });

  it("reads permissions from Slack only after acknowledging, and caches them", async () => {
    h.slack.reset();
    await h.command("help");
    await h.command("help");
    await h.slack.waitFor(() => h.slack.responses.length === 2);
    expect(h.slack.callsTo("users.info").length).toBeLessThanOrEqual(1);
  });
});

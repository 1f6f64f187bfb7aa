import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackHarness, slashCommandFields, startSlackHarness } from "./slackHarness.js";

describe("Slack in Socket Mode (SLACK_APP_TOKEN set)", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    // No signing secret: in Socket Mode nothing arrives over HTTP to verify.
    h = await startSlackHarness(undefined, { SLACK_APP_TOKEN: "xapp-test-token", SLACK_SIGNING_SECRET: undefined });
    await h.slack.socketConnected();
  });
  afterAll(async () => h?.close());

  it("connects over the socket with the app token", () => {
    const open = h.slack.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe("xapp-test-token");
    expect(h.service.mode).toBe("socket");
  });

  it("acknowledges a slash command envelope and replies through response_url", async () => {
    const responseUrl = h.slack.responseUrl();
    const ack = await h.slack.socketSend("slash_commands", slashCommandFields("Jonathan Frankle", responseUrl, "1.2.socket"));
    expect(ack).toEqual({});
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(reply.body.blocks[0].text.text).toBe("Jonathan Frankle");
  });

  it("does not listen for Slack requests over HTTP", async () => {
    const res = await h.post("/slack/events", "{}", "application/json");
    expect(res.status).toBe(404);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buttonPress, CHANNEL, type SlackHarness, startSlackHarness, USER } from "./slackHarness.js";
import { wallClockMs } from "../../support/clock.js";
import { FRANKLE } from "../../support/openalex-stub.js";

type AnyBlock = Record<string, any>;

describe("Slack events, App Home and request verification", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  const homeOpened = () => ({ type: "app_home_opened", user: USER, channel: "D0ADA", tab: "home", event_ts: "1700000000.000300" });

  it("publishes the App Home with follows, claims and invitations", async () => {
    const res = await h.event(homeOpened());
    expect(res.status).toBe(200);
    const publish = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[0]);
    expect(publish.args.user_id).toBe(USER);
    expect(publish.args.view.type).toBe("home");
    const text = JSON.stringify(publish.args.view.blocks);
    expect(text).toContain("Researchers you follow (0)");
    expect(text).toContain("Your claims");
    expect(text).toContain("Invitations waiting for you (0)");
    expect(text).toContain("This week's notifications (0)");
    expect(text).toContain("Invitations you sent");
    expect(publish.args.view.blocks.length).toBeLessThanOrEqual(100);
  });

  it("shows a new follow on the App Home and refreshes it after a Home button", async () => {
    await h.interaction(buttonPress("pl:follow:0", String(h.researcherId), h.slack.responseUrl()));
    await h.slack.waitFor(() => h.slack.responses.length > 0);
    await h.event(homeOpened());
    const publish = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[0]);
    expect(JSON.stringify(publish.args.view.blocks)).toContain("Researchers you follow (1)");
    const unfollow = (publish.args.view.blocks as AnyBlock[])
      .filter((b) => b.accessory)
      .map((b) => b.accessory)
      .find((b) => b.action_id.startsWith("pl:unfollow:"));
    expect(unfollow.value).toBe(String(h.researcherId));

    h.slack.reset();
    const fromHome = buttonPress(unfollow.action_id, unfollow.value, "", {
      view: { id: "V0HOME", type: "home" },
      container: { type: "view", view_id: "V0HOME" },
    });
    delete (fromHome as Partial<typeof fromHome>).response_url;
    delete (fromHome as Partial<typeof fromHome>).channel;
    await h.interaction(fromHome);
    const refreshed = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[0]);
    expect(JSON.stringify(refreshed.args.view.blocks)).toContain("Researchers you follow (0)");
    expect(await h.tdb.db.follow.count()).toBe(0);
  });

  it("unfurls known OpenAlex, ORCID and arXiv links and leaves unknown ones alone", async () => {
    const work = await h.tdb.db.work.findFirstOrThrow({ where: { arxivId: { not: null } } });
    // The demo record carries no persistent ids; give it the stand-in's, as an import from OpenAlex would.
    const researcher = await h.tdb.db.researcher.update({
      where: { id: h.researcherId },
      data: { openalexId: FRANKLE.openalexId, orcid: FRANKLE.orcid },
    });
    const links = [
      `https://openalex.org/${researcher.openalexId}`,
      `https://orcid.org/${researcher.orcid}`,
      `https://arxiv.org/abs/${work.arxivId}v2`,
      "https://doi.org/10.9999/unknown",
    ];
    await h.event({
      type: "link_shared",
      channel: CHANNEL,
      user: USER,
      message_ts: "1700000000.000400",
      links: links.map((url) => ({ url, domain: new URL(url).hostname })),
      source: "conversations_history",
      unfurl_id: "U0UNFURL",
      event_ts: "1700000000.000400",
    });
    const call = await h.slack.waitFor(() => h.slack.callsTo("chat.unfurl")[0]);
    const unfurls = typeof call.args.unfurls === "string" ? JSON.parse(call.args.unfurls) : call.args.unfurls;
    expect(Object.keys(unfurls).sort()).toEqual(links.slice(0, 3).sort());
    expect(unfurls[links[0]!].blocks[0].text.text).toBe("Jonathan Frankle");
    expect(unfurls[links[2]!].blocks[0].text.text).toBe(work.title.slice(0, 150));
  });

  it("does not call chat.unfurl when no link is known", async () => {
    await h.event({
      type: "link_shared",
      channel: CHANNEL,
      user: USER,
      message_ts: "1700000000.000500",
      links: [{ url: "https://openalex.org/A0000000001", domain: "openalex.org" }],
      event_ts: "1700000000.000500",
    });
    await h.event(homeOpened()); // a later event has been fully handled once its publish arrives
    await h.slack.waitFor(() => h.slack.callsTo("views.publish")[0]);
    expect(h.slack.callsTo("chat.unfurl")).toHaveLength(0);
  });

  describe("refuses requests Slack did not send, changing nothing", () => {
    const body = () =>
      new URLSearchParams({
        team_id: "T0TEST",
        user_id: "U0EVE",
        channel_id: CHANNEL,
        command: "/researcher",
        text: "follow Jonathan Frankle",
        response_url: h.slack.responseUrl(),
      }).toString();

    /**
     * Not "nothing after a sleep": the same command, correctly signed and sent after the refused one,
     * is answered first; had the refused one been let in, its traces would be there by then.
     */
    async function expectNothingChanged() {
      const later = await h.command("follow Jonathan Frankle", { user_id: "U0LATER", user_name: "later" });
      await h.slack.waitFor(() => h.slack.responses.find((r) => later.responseUrl.endsWith(r.id)));
      expect(h.slack.responses).toHaveLength(1);
      expect(h.slack.calls.filter((c) => JSON.stringify(c.args).includes("U0EVE"))).toHaveLength(0);
      expect(await h.tdb.db.chatIdentity.count({ where: { userId: "U0EVE" } })).toBe(0);
    }

    it("answers 401 to a bad signature", async () => {
      const res = await h.post("/slack/events", body(), "application/x-www-form-urlencoded", { secret: "not-the-secret" });
      expect(res.status).toBe(401);
      await expectNothingChanged();
    });

    it("answers 401 to a request older than 5 minutes", async () => {
      const res = await h.post("/slack/events", body(), "application/x-www-form-urlencoded", {
        timestamp: Math.floor(wallClockMs() / 1000) - 6 * 60,
      });
      expect(res.status).toBe(401);
      await expectNothingChanged();
    });

    it("answers 400 to a correctly signed but malformed body", async () => {
      const res = await h.post("/slack/events", '{"type": "event_callback", ', "application/json");
      expect(res.status).toBe(400);
      await expectNothingChanged();
    });
  });
});

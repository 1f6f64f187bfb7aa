// Living messages through the real Bolt app: a claim review card shows its decision where it was
// posted (chat.update at the stand-in), a private card's Follow flips to Unfollow in place
// (response_url replace_original), a shared card counts its new follower and can be refreshed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visibleText } from "../contract/runContract.js";
import { buttonPress, type SlackHarness, startSlackHarness, TEAM, USER } from "./slackHarness.js";

const REVIEW = "C0REVIEW";
const ADMIN = "U0BOSS";
const as = (id: string) => ({ user: { id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: TEAM } });

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness((core) => {
    Object.assign(core.claims.settings, { reviewChannel: { platform: "slack", tenantId: TEAM, channelId: REVIEW } });
  });
  h.slack.users.set(ADMIN, { is_admin: true });
});
afterAll(() => h?.close());

/** Where the review card was posted, once Peerlink has recorded it (just after Slack answered). */
async function postedRef(claimId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const row = await h.tdb.db.postedMessage.findFirst({ where: { subject: `claim:${claimId}` } });
    if (row) return row.messageRef;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no posted review card for claim ${claimId}`);
}

type Block = { type: string; elements?: Array<{ action_id?: string; value?: string; text?: { text: string } }> };
const buttons = (blocks: Block[]) => blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements ?? []);

describe("a claim review card", () => {
  it("shows the decision and loses its buttons where it was posted, when an admin presses Approve on it", async () => {
    const before = h.slack.callsTo("chat.postMessage").length;
    await h.command("claim Jonathan Frankle", { user_id: "U0BOB", user_name: "bob" });
    const post = await h.slack.waitFor(() =>
      h.slack
        .callsTo("chat.postMessage")
        .slice(before)
        .find((c) => c.args.channel === REVIEW),
    );
    expect(buttons(post.args.blocks).map((b) => b.text?.text)).toEqual(["Approve", "Reject"]);
    const claimId = /#(\d+)/.exec(visibleText(post.args.blocks))![1]!;
    const [, ts] = (await postedRef(claimId)).split(":");

    const responseUrl = h.slack.responseUrl();
    await h.interaction(
      buttonPress(`pl:approve_claim:0`, claimId, responseUrl, {
        ...as(ADMIN),
        channel: { id: REVIEW, name: "reviews" },
        container: { type: "message", message_ts: ts, channel_id: REVIEW, is_ephemeral: false },
      }),
    );
    const update = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((c) => c.args.channel === REVIEW && c.args.ts === ts));
    expect(visibleText(update.args.blocks)).toMatch(new RegExp(`Claim #${claimId}: Jonathan Frankle — approved`));
    expect(visibleText(update.args.blocks)).toMatch(/approved by \w+ on \d{4}-\d{2}-\d{2}/);
    expect(buttons(update.args.blocks)).toEqual([]);
    // The pressed copy itself is replaced through the press's response_url too, and the admin is told.
    const replaced = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id) && r.body.replace_original === true));
    expect(buttons(replaced.body.blocks)).toEqual([]);
    await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id) && /Approved claim/.test(visibleText(r.body))));
  });

  it("shows a decision typed as a command elsewhere, too", async () => {
    const before = h.slack.callsTo("chat.postMessage").length;
    // Frankle is bob's now: a second claimant's review is a dispute.
    await h.command("claim Jonathan Frankle", { user_id: "U0CAROL", user_name: "carol" });
    const post = await h.slack.waitFor(() =>
      h.slack
        .callsTo("chat.postMessage")
        .slice(before)
        .find((c) => c.args.channel === REVIEW),
    );
    const claimId = /#(\d+)/.exec(visibleText(post.args.blocks))![1]!;
    const [, ts] = (await postedRef(claimId)).split(":");

    await h.command(`reject ${claimId}`, { user_id: ADMIN, user_name: "boss" });
    const update = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((c) => c.args.ts === ts));
    expect(visibleText(update.args.blocks)).toMatch(/— rejected/);
    expect(buttons(update.args.blocks)).toEqual([]);
  });
});

describe("a profile card's Follow", () => {
  async function card(text: string) {
    const { responseUrl } = await h.command(text, { user_id: "U0DAN", user_name: "dan" });
    const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id)));
    return reply.body as { blocks: Block[]; response_type?: string };
  }
  const press = async (action: string, value: string, ephemeral: boolean) => {
    const responseUrl = h.slack.responseUrl();
    await h.interaction(
      buttonPress(`pl:${action}:0`, value, responseUrl, {
        ...as("U0DAN"),
        container: { type: "message", message_ts: "1700000000.000900", channel_id: "C0GENERAL", is_ephemeral: ephemeral },
      }),
    );
    return responseUrl;
  };
  const followers = (text: string) => Number(/(\d+) followers?/.exec(text)?.[1]);

  it("flips to Unfollow on the viewer's own card and counts the new follower, in place", async () => {
    const shown = await card("Jonathan Frankle");
    const follow = buttons(shown.blocks).find((b) => b.action_id?.startsWith("pl:follow:"))!;
    expect(follow.value).toMatch(/^card:\d+$/);
    const before = followers(visibleText(shown.blocks));

    const responseUrl = await press("follow", follow.value!, true);
    const replaced = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(replaced.body.replace_original).toBe(true);
    const text = visibleText(replaced.body.blocks);
    expect(text).toMatch(/You now follow Jonathan Frankle/);
    expect(followers(text)).toBe(before + 1);
    expect(buttons(replaced.body.blocks).map((b) => b.text?.text)).toContain("Unfollow");
    expect(buttons(replaced.body.blocks).map((b) => b.text?.text)).not.toContain("Follow");
    const dan = await h.core.accounts.resolve({ platform: "slack", tenantId: TEAM, userId: "U0DAN" });
    expect(await h.tdb.db.follow.count({ where: { accountId: dan.accountId, researcherId: h.researcherId } })).toBe(1);
    // Nothing else was posted: the card itself is the answer.
    expect(h.slack.responses.filter((r) => responseUrl.endsWith(r.id))).toHaveLength(1);

    const unfollowed = await press("unfollow", `card:${h.researcherId}`, true);
    const back = await h.slack.waitFor(() => h.slack.responses.find((r) => unfollowed.endsWith(r.id)));
    expect(followers(visibleText(back.body.blocks))).toBe(before);
    expect(buttons(back.body.blocks).map((b) => b.text?.text)).toContain("Follow");
  });

  it("on a card shared in the channel keeps Follow for everyone, counts the follower in place and can be refreshed", async () => {
    const shared = await card("Jonathan Frankle --share");
    expect(shared.response_type).toBe("in_channel");
    const labels = buttons(shared.blocks).map((b) => [b.text?.text, b.value]);
    expect(labels).toContainEqual(["Follow", `shared:${h.researcherId}`]);
    expect(labels).toContainEqual(["Refresh", String(h.researcherId)]);
    const before = followers(visibleText(shared.blocks));

    const responseUrl = await press("follow", `shared:${h.researcherId}`, false);
    const replaced = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id) && r.body.replace_original === true));
    expect(followers(visibleText(replaced.body.blocks))).toBe(before + 1);
    expect(buttons(replaced.body.blocks).map((b) => b.text?.text)).toContain("Follow");
    const told = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id) && r.body.replace_original !== true));
    expect(told.body.response_type).toBe("ephemeral");
    expect(visibleText(told.body)).toMatch(/You now follow Jonathan Frankle/);

    // Someone else follows meanwhile; Refresh shows it.
    const other = await h.core.accounts.resolve({ platform: "slack", tenantId: TEAM, userId: USER });
    await h.core.follows.follow(other.accountId, h.researcherId);
    const refreshed = await press("refresh_card", String(h.researcherId), false);
    const now = await h.slack.waitFor(() => h.slack.responses.find((r) => refreshed.endsWith(r.id) && r.body.replace_original === true));
    expect(followers(visibleText(now.body.blocks))).toBe(before + 2);
  });
});

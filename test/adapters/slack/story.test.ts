// The story of issue #13 through the real Bolt app and the Slack stand-in: alice follows, bob claims,
// an admin approves, alice invites, bob gets the invitation as a DM and accepts, and both are put in
// one conversation. The console spec (test/adapters/console/story.test.ts) tells the same story.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { buttonPress, type SlackHarness, startSlackHarness, TEAM } from "./slackHarness.js";

vi.setConfig({ testTimeout: 60_000 });

const ALICE = "U0ALICE";
const BOB = "U0BOB";
const ADMIN = "U0ADMIN";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
  h.slack.users.set(ADMIN, { is_admin: true, name: "admin" });
});
afterAll(() => h.close());

const names: Record<string, string> = { [ALICE]: "alice", [BOB]: "bob", [ADMIN]: "admin" };

/** Runs `/researcher <text>` as `user` and returns the reply Peerlink posts to its response_url. */
async function say(user: string, text: string): Promise<string> {
  const { responseUrl } = await h.command(text, { user_id: user, user_name: names[user]! });
  const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id)));
  return JSON.stringify(reply.body);
}

const postedTo = (text: string) => h.slack.callsTo("chat.postMessage").filter((c) => JSON.stringify(c.args).includes(text));

it("follows, claims, approves, invites, and on accept opens one conversation for the two", async () => {
  expect(await say(ALICE, "follow Jonathan Frankle")).toMatch(/You now follow Jonathan Frankle/);

  const claimed = await say(BOB, "claim Jonathan Frankle");
  const claimId = /claim #(\d+)/.exec(claimed)?.[1];
  expect(claimId).toBeDefined();
  expect(await say(BOB, `approve ${claimId}`)).toMatch(/Only admins|can't decide your own claim/);
  expect(await say(ADMIN, `approve ${claimId}`)).toMatch(/Approved claim #\d+: Jonathan Frankle is now claimed/);
  await h.slack.waitFor(() => postedTo("Your claim on Jonathan Frankle is verified").length > 0);

  expect(await say(ALICE, "invite Jonathan Frankle: Shall we work on lottery tickets together?")).toMatch(/on its way/);
  const dm = await h.slack.waitFor(() => postedTo("Shall we work on lottery tickets together?")[0]);
  const accept = (dm.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id?.includes("accept_invite"));
  expect(accept).toBeDefined();

  const url = h.slack.responseUrl();
  const inDm = {
    user: { id: BOB, username: "bob", name: "bob", team_id: TEAM },
    channel: { id: "D0BOB", name: "directmessage" },
    container: { type: "message", message_ts: "1700000000.000300", channel_id: "D0BOB", is_ephemeral: false },
  };
  expect((await h.interaction(buttonPress(accept!.action_id, accept!.value, url, inDm))).status).toBe(200);
  const answer = await h.slack.waitFor(() => h.slack.responses.find((r) => url.endsWith(r.id) && r.body.replace_original === false));
  expect(JSON.stringify(answer.body)).toMatch(/opened a conversation/);
  // Both in one group DM, introduced with the invitation's message.
  const opened = await h.slack.waitFor(() => h.slack.callsTo("conversations.open").find((c) => String(c.args.users).split(",").length === 2));
  expect(String(opened.args.users).split(",").sort()).toEqual([ALICE, BOB].sort());
  await h.slack.waitFor(() => postedTo("Shall we work on lottery tickets together?").length >= 2);
});

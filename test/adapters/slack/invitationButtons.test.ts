// Answering an invitation from its Slack DM, through the real Bolt app: the answer comes back as an
// ephemeral reply, and the DM itself is replaced (through response_url) by one without buttons.
import { afterAll, beforeAll, expect, it } from "vitest";
import { researcher } from "../../core/invitations/fixtures.js";
import { buttonPress, type SlackHarness, startSlackHarness, TEAM, USER } from "./slackHarness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

/** An invitation from Grace to the harness's user, already delivered to their DM. */
async function deliveredInvitation(message: string) {
  const me = await h.core.accounts.resolve({ platform: "slack", tenantId: TEAM, userId: USER, displayName: "Ada" });
  const grace = await h.core.accounts.resolve({ platform: "slack", tenantId: TEAM, userId: "U0GRACE", displayName: "Grace Hopper" });
  const researcherId = await researcher(h.tdb.db, `Ada Byron ${message}`, me.accountId);
  return h.tdb.db.invitation.create({
    data: {
      senderAccountId: grace.accountId,
      senderIdentityId: grace.identityId,
      researcherId,
      recipientAccountId: me.accountId,
      message,
      status: "delivered",
      originPlatform: "slack",
      originTenantId: TEAM,
      originChannelId: "C0GENERAL",
      expiresAt: new Date(h.core.clock.now().getTime() + 86_400_000),
    },
  });
}

const inDm = {
  channel: { id: "D0ADA", name: "directmessage" },
  container: { type: "message", message_ts: "1700000000.000300", channel_id: "D0ADA", is_ephemeral: false },
};

for (const [action, answer, status] of [
  ["accept_invite", "You accepted this invitation.", "accepted"],
  ["decline_invite", "You declined this invitation.", "declined"],
  ["block_sender", "You declined this invitation and blocked its sender.", "declined"],
] as const) {
  it(`${action}: answers privately and replaces the DM with one that has no buttons left`, async () => {
    const inv = await deliveredInvitation(`about ${action}`);
    const url = h.slack.responseUrl();
    const res = await h.interaction(buttonPress(`pl:${action}:0`, inv.id, url, inDm));
    expect(res.status).toBe(200);
    const posted = await h.slack.waitFor(() => {
      const mine = h.slack.responses.filter((r) => url.endsWith(r.id));
      return mine.length >= 2 ? mine : undefined;
    });
    const replaced = posted.find((r) => r.body.replace_original === true)!;
    expect(JSON.stringify(replaced.body.blocks)).toContain(answer);
    expect(JSON.stringify(replaced.body.blocks)).toContain(`about ${action}`);
    expect(replaced.body.blocks.some((b: { type: string }) => b.type === "actions")).toBe(false);
    const reply = posted.find((r) => r.body.replace_original === false)!;
    expect(reply.body.response_type).toBe("ephemeral");
    expect((await h.tdb.db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe(status);
  });
}

it("leaves the DM alone when the press changes nothing (already answered)", async () => {
  const inv = await deliveredInvitation("answered twice");
  const first = h.slack.responseUrl();
  await h.interaction(buttonPress("pl:accept_invite:0", inv.id, first, inDm));
  await h.slack.waitFor(() => h.slack.responses.filter((r) => first.endsWith(r.id)).length >= 2 || undefined);
  const second = h.slack.responseUrl();
  await h.interaction(buttonPress("pl:decline_invite:0", inv.id, second, inDm));
  const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => second.endsWith(r.id)));
  expect(JSON.stringify(reply.body)).toContain("You already accepted this invitation.");
  // No sleep needed: a replacement of the DM is posted before the reply (deliver.ts), so with the reply here it would be too.
  expect(h.slack.responses.filter((r) => second.endsWith(r.id))).toHaveLength(1);
});

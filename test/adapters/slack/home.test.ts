// The App Home dashboard through the real Bolt app: a signed app_home_opened publishes the sections
// the issue names, "More"/"Previous" re-publish it with that section's page, and Accept works from it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { HOME_SECTION_SIZE } from "../../../src/core/home/HomeService.js";
import { researcher } from "../../core/invitations/fixtures.js";
import { buttonPress, type SlackHarness, startSlackHarness, TEAM, USER } from "./slackHarness.js";

type AnyBlock = Record<string, any>;
let h: SlackHarness;
let me: { accountId: number; identityId: number };
const FOLLOWED = HOME_SECTION_SIZE + 2;
const DAY = 86_400_000;

beforeAll(async () => {
  h = await startSlackHarness();
  const db = h.tdb.db;
  const now = h.core.clock.now().getTime();
  me = await h.core.accounts.resolve({ platform: "slack", tenantId: TEAM, userId: USER, displayName: "Ada" });
  for (let i = 1; i <= FOLLOWED; i++) {
    const id = await researcher(db, `Followed Person ${i}`);
    // the first followed is the newest follow, so page 1 starts with Followed Person 1
    await db.follow.create({ data: { accountId: me.accountId, researcherId: id, createdAt: new Date(now - i * 60_000) } });
    const work = await db.work.create({ data: { type: "article", title: `Latest of person ${i}`, publicationDate: new Date(now - i * DAY) } });
    await db.authorship.create({ data: { workId: work.id, researcherId: id, position: 1 } });
    // one notification this week, one older than 7 days: only the first is "this week's"
    const sentAt = new Date(now - (i === 1 ? 2 * DAY : 9 * DAY));
    await db.notificationDelivery.create({
      data: { recipientKey: `account:${me.accountId}`, accountId: me.accountId, workId: work.id, status: "sent", sentAt },
    });
  }
  const grace = await h.core.accounts.resolve({ platform: "slack", tenantId: TEAM, userId: "U0GRACE", displayName: "Grace Hopper" });
  const mine = await researcher(db, "Ada Byron", me.accountId);
  await db.claim.create({ data: { researcherId: mine, accountId: me.accountId, status: "verified", method: "admin_review" } });
  await db.invitation.create({
    data: {
      senderAccountId: grace.accountId,
      senderIdentityId: grace.identityId,
      researcherId: mine,
      recipientAccountId: me.accountId,
      message: "Shall we write together?",
      status: "delivered",
      originPlatform: "slack",
      originTenantId: TEAM,
      originChannelId: "C0GENERAL",
      expiresAt: new Date(now + DAY),
    },
  });
});
afterAll(() => h?.close());

const homeOpened = { type: "app_home_opened", user: USER, channel: "D0ADA", tab: "home", event_ts: "1700000000.000300" };
const headers = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === "header").map((b) => b.text.text as string);
const buttons = (blocks: AnyBlock[]) => blocks.flatMap((b) => [b.accessory, ...(b.elements ?? [])]).filter((e) => e?.type === "button");
const fromHome = (button: AnyBlock, privateMetadata: string) => {
  const press = buttonPress(button.action_id, button.value, "", {
    view: { id: "V0HOME", type: "home", private_metadata: privateMetadata },
    container: { type: "view", view_id: "V0HOME" },
  });
  delete (press as Partial<typeof press>).response_url;
  delete (press as Partial<typeof press>).channel;
  return press;
};
async function published() {
  const call = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[0]);
  h.slack.reset();
  return call.args.view as { blocks: AnyBlock[]; private_metadata: string };
}

it("publishes the dashboard: claim, waiting invitations, follows with latest papers, this week's notifications", async () => {
  h.slack.reset();
  await h.event(homeOpened);
  const view = await published();
  expect(headers(view.blocks)).toEqual(
    expect.arrayContaining([
      "Your claims",
      "Invitations waiting for you (1)",
      `Researchers you follow (${FOLLOWED})`,
      "This week's notifications (1)",
      "Invitations you sent",
    ]),
  );
  const text = JSON.stringify(view.blocks);
  expect(text).toContain("Latest: Latest of person 1");
  expect(text).toContain("verified · claimed"); // the claim and its status
  expect(text).toContain(`Page 1 of 2`);
  expect(text).not.toContain(`Followed Person ${FOLLOWED}`); // on page 2
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  const labels = buttons(view.blocks).map((b) => b.text.text);
  expect(labels).toEqual(expect.arrayContaining(["Accept", "Decline", "More"]));
  expect(labels).not.toContain("Previous");
});

it("More re-publishes the Home with the next page of that section, and Previous goes back", async () => {
  h.slack.reset();
  await h.event(homeOpened);
  const first = await published();
  const more = buttons(first.blocks).find((b) => b.text.text === "More")!;
  expect(more.value).toBe("following:2");
  await h.interaction(fromHome(more, first.private_metadata));
  const second = await published();
  const text = JSON.stringify(second.blocks);
  expect(text).toContain(`Followed Person ${FOLLOWED}`);
  expect(text).not.toContain('"Followed Person 1"');
  expect(text).toContain("Page 2 of 2");
  expect(JSON.parse(second.private_metadata)).toEqual({ following: 2 });
  const previous = buttons(second.blocks).find((b) => b.text.text === "Previous")!;
  await h.interaction(fromHome(previous, second.private_metadata));
  expect(JSON.stringify((await published()).blocks)).toContain("Followed Person 1");
});

it("answers a forged page value with every section back on page 1", async () => {
  h.slack.reset();
  await h.interaction(fromHome({ action_id: "pl:home_page:0", value: "secrets:2" }, '{"following":2}'));
  const view = await published();
  expect(view.private_metadata).toBe("{}");
  expect(JSON.stringify(view.blocks)).toContain("Page 1 of 2");
});

it("accepts an invitation from the Home and shows it no longer waiting", async () => {
  h.slack.reset();
  await h.event(homeOpened);
  const view = await published();
  const accept = buttons(view.blocks).find((b) => b.text.text === "Accept")!;
  await h.interaction(fromHome(accept, view.private_metadata));
  const after = await published();
  expect(headers(after.blocks)).toContain("Invitations waiting for you (0)");
  expect((await h.tdb.db.invitation.findFirstOrThrow()).status).toBe("accepted");
});

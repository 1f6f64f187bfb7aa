// Issue #17, item 4: requests Slack did not send, or sent once. Each row posts to the real Bolt app
// (HTTPReceiver on Peerlink's HttpServer) a request signed, or mis-signed, as the row says, and
// checks the HTTP status and what Postgres holds afterwards. Bolt refuses a bad signature and a
// timestamp older than 5 minutes but keeps no record of requests it has seen: Peerlink's replay
// check (in Redis) acknowledges the same signed request sent again and does not run it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { wallClockMs } from "../../support/clock.js";
import { buttonPress, CHANNEL, sign, SIGNING_SECRET, type SlackHarness, slashCommandFields, startSlackHarness, TEAM, USER } from "./slackHarness.js";

const EVE = "U0EVE";
const FORM = "application/x-www-form-urlencoded";

let h: SlackHarness;
let seq = 0;

beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => h?.close());
beforeEach(async () => {
  h.slack.reset();
  await h.tdb.db.$transaction([
    h.tdb.db.$executeRawUnsafe("DELETE FROM invitation_delivery"),
    h.tdb.db.$executeRawUnsafe("DELETE FROM invitation"),
    h.tdb.db.$executeRawUnsafe("DELETE FROM follow"),
    h.tdb.db.$executeRawUnsafe("DELETE FROM link_code"),
    h.tdb.db.$executeRawUnsafe("DELETE FROM audit_log"),
    h.tdb.db.$executeRawUnsafe("UPDATE researcher SET claimed_by_account_id = NULL"),
    h.tdb.db.$executeRawUnsafe("DELETE FROM chat_identity"),
    h.tdb.db.$executeRawUnsafe("DELETE FROM account"),
  ]);
});

/** Eve's slash command, as Slack would send it: the body, and the response_url its answers go to. */
function command(text: string, userId = EVE) {
  const responseUrl = h.slack.responseUrl();
  const body = new URLSearchParams({ ...slashCommandFields(text, responseUrl, `${++seq}.5678.sig`), user_id: userId, user_name: "eve" }).toString();
  return { body, responseUrl };
}

async function send(body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${h.baseUrl}/slack/events`, { method: "POST", headers: { "content-type": FORM, ...headers }, body });
  await res.text();
  return res.status;
}

const now = () => Math.floor(wallClockMs() / 1000);
const signed = (body: string, timestamp = now(), secret = SIGNING_SECRET) => ({
  "x-slack-request-timestamp": String(timestamp),
  "x-slack-signature": sign(body, timestamp, secret),
});

const answersTo = (responseUrl: string) => h.slack.responses.filter((r) => responseUrl.endsWith(`/${r.id}`)).map((r) => JSON.stringify(r.body));
const eveFollows = () => h.tdb.db.follow.count({ where: { account: { identities: { some: { userId: EVE } } } } });

/**
 * Not "nothing after a sleep": a correctly signed command sent after the refused one is answered
 * first; had the refused one been let in, its answer and its rows would be there by then.
 */
async function expectNothingChanged(refusedUrl: string) {
  const later = command("follow Jonathan Frankle", "U0LATER");
  expect(await send(later.body, signed(later.body))).toBe(200);
  await h.slack.waitFor(() => answersTo(later.responseUrl).length > 0);
  expect(answersTo(refusedUrl)).toEqual([]);
  expect(await h.tdb.db.chatIdentity.count({ where: { userId: EVE } })).toBe(0);
  expect(await eveFollows()).toBe(0);
}

interface RefusedCase {
  name: string;
  /** The headers sent with the body of `/researcher follow Jonathan Frankle` by Eve. */
  headers: (body: string) => Record<string, string>;
  status: number;
}

const refused: RefusedCase[] = [
  { name: "signed with another secret", headers: (body) => signed(body, now(), "not-the-secret"), status: 401 },
  {
    name: "signed over another body (the text changed after signing)",
    headers: (body) => signed(body.replace("follow", "unfollow")),
    status: 401,
  },
  {
    name: "signed with the right secret but sent with another timestamp than the signed one",
    headers: (body) => ({ ...signed(body, now() - 10), "x-slack-request-timestamp": String(now()) }),
    status: 401,
  },
  {
    name: "an unknown signature version",
    headers: (body) => ({ ...signed(body), "x-slack-signature": signed(body)["x-slack-signature"].replace("v0=", "v1=") }),
    status: 401,
  },
  { name: "no signature at all", headers: () => ({ "x-slack-request-timestamp": String(now()) }), status: 401 },
  { name: "correctly signed, but 6 minutes old", headers: (body) => signed(body, now() - 6 * 60), status: 401 },
  {
    name: "correctly signed, timestamp not a number",
    headers: (body) => ({ ...signed(body), "x-slack-request-timestamp": "yesterday" }),
    status: 401,
  },
];

describe("Slack requests with a bad, old or missing signature are refused, changing nothing", () => {
  for (const c of refused) {
    it(`${c.name}: ${c.status}`, async () => {
      const { body, responseUrl } = command("follow Jonathan Frankle");
      expect(await send(body, c.headers(body))).toBe(c.status);
      await expectNothingChanged(responseUrl);
    });
  }
});

interface ReplayCase {
  name: string;
  setup?: () => Promise<void>;
  /** The request sent twice, byte for byte, with the same timestamp and signature. */
  request: () => Promise<{ body: string; responseUrl: string }>;
  /** What the first answer says (the repeat gets none). */
  answer: RegExp;
  /** What Postgres holds after both. */
  effect: { query: () => Promise<unknown>; expected: unknown };
}

const inChannel = (userId: string) => ({
  actor: { platform: "slack" as const, tenantId: TEAM, userId, displayName: userId },
  channelId: CHANNEL,
  permissions: { canManageChannel: false, isAdmin: false },
});

/** Ada (the harness's user, who receives Eve's invitations) holds Jonathan Frankle's record. */
async function adaHoldsFrankle(): Promise<void> {
  const ada = await h.core.accounts.resolve(inChannel(USER).actor);
  await h.tdb.db.researcher.update({ where: { id: h.researcherId }, data: { claimedByAccountId: ada.accountId } });
}

/** Ada holds Jonathan Frankle's record and Eve invited her: the invitation's id. */
async function invitationToAda(): Promise<string> {
  await adaHoldsFrankle();
  const r = await h.core.router.handleText("invite Jonathan Frankle: Shall we talk?", inChannel(EVE));
  if (r.reply.kind !== "notice" || !/on its way/.test(r.reply.text)) throw new Error(`setup: invitation not sent: ${JSON.stringify(r.reply)}`);
  return (await h.tdb.db.invitation.findFirstOrThrow()).id;
}

let invitationId = "";

const replays: ReplayCase[] = [
  {
    name: "a follow replayed follows once",
    request: async () => command("follow Jonathan Frankle"),
    answer: /You now follow Jonathan Frankle/,
    effect: { query: eveFollows, expected: 1 },
  },
  {
    name: "an invitation replayed is sent once",
    setup: adaHoldsFrankle,
    request: async () => command("invite Jonathan Frankle: Shall we talk?"),
    answer: /Your invitation to Jonathan Frankle is on its way/,
    effect: { query: () => h.tdb.db.invitation.count(), expected: 1 },
  },
  {
    name: "Accept replayed answers the invitation once",
    setup: async () => {
      invitationId = await invitationToAda();
    },
    request: async () => {
      const responseUrl = h.slack.responseUrl();
      return {
        body: new URLSearchParams({ payload: JSON.stringify(buttonPress("pl:accept_invite:0", invitationId, responseUrl)) }).toString(),
        responseUrl,
      };
    },
    answer: /Accepted\. I've opened a conversation with/,
    effect: {
      query: async () => ({
        status: (await h.tdb.db.invitation.findUniqueOrThrow({ where: { id: invitationId } })).status,
        accepted: await h.tdb.db.auditLog.count({ where: { action: "invitation.accepted" } }),
        // The conversation Peerlink opens for the two of them.
        conversations: h.slack.callsTo("conversations.open").filter((c) => c.args.users === `${EVE},${USER}`).length,
      }),
      expected: { status: "accepted", accepted: 1, conversations: 1 },
    },
  },
  {
    // Without the replay check this one acted twice: a second code, answered to the response_url
    // only Slack holds, and counted towards the five an hour.
    name: "a link-code request replayed issues one code",
    request: async () => command("link"),
    answer: /Your link code is [A-Z0-9]{4}-[A-Z0-9]{4}/,
    effect: { query: () => h.tdb.db.linkCode.count(), expected: 1 },
  },
];

describe("a signed request sent twice inside 5 minutes is acknowledged and not run again (src/adapters/slack/replayGuard.ts)", () => {
  for (const c of replays) {
    it(c.name, async () => {
      await c.setup?.();
      const { body, responseUrl } = await c.request();
      const headers = signed(body);
      expect(await send(body, headers)).toBe(200);
      await h.slack.waitFor(() => answersTo(responseUrl).some((a) => c.answer.test(a)), 10_000);
      const firstCount = answersTo(responseUrl).length;
      expect(await send(body, headers)).toBe(200);
      // A fresh request after the repeat, answered: had the repeat run, its answer would be in by now.
      const barrier = command("help");
      expect(await send(barrier.body, signed(barrier.body))).toBe(200);
      await h.slack.waitFor(() => answersTo(barrier.responseUrl).length > 0, 10_000);
      expect(answersTo(responseUrl)).toHaveLength(firstCount);
      expect(await c.effect.query()).toEqual(c.effect.expected);
    });
  }
});

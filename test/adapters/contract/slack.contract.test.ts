// The command contract through the real Bolt app over HTTP: signed slash commands and block_actions
// requests, replies read from the response_url stand-in (or the modal Peerlink opened), messages
// from chat.postMessage, permissions from users.info / conversations.info on the Slack stand-in.
import { afterAll, beforeAll } from "vitest";
import { startSlack, type SlackService } from "../../../src/adapters/slack/startSlack.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import type { ActionId } from "../../../src/core/reply.js";
import { HttpServer } from "../../../src/http/HttpServer.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { seedNeighbours } from "../../../src/sources/demo/seedNeighbours.js";
import { testClock, wallClockMs } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { type SlackStub, startSlackStub } from "../../support/slack-stub.js";
import { buttonPress, sign, SIGNING_SECRET, slashCommandFields, TEAM, viewSubmission } from "../slack/slackHarness.js";
import { type ActorKind, contextFor, type ResearcherSnapshot, resetState, snapshotResearchers, type World } from "./commandContract.js";
import { type Driver, runContract, type Seen, type Tenant, visibleText } from "./runContract.js";

const CHANNEL = "C0CONTRACT";
const REVIEW_CHANNEL = "C0REVIEW";
const USERS: Record<ActorKind, string> = { user: "U0PLAIN", manager: "U0MANAGER", admin: "U0BOSS", other: "U0OTHER" };
/** Workspace B: another team with its own channel and people, served by the same app. */
const ELSEWHERE = {
  tenantId: "T0ELSEWHERE",
  channelId: "C0ELSEWHERE",
  users: { user: "U0BPLAIN", manager: "U0BMANAGER", admin: "U0BBOSS", other: "U0BOTHER" } as Record<ActorKind, string>,
};

let tdb: TestDatabase;
let slack: SlackStub;
let core: Core;
let service: SlackService;
let http: HttpServer;
let baseUrl: string;
let researcherId: number;
const clock = testClock();
let researchers: ResearcherSnapshot;
let seq = 0;
/** How many Web API calls had been made when the last command or press was sent. */
let mark = 0;

beforeAll(async () => {
  [tdb, slack] = await Promise.all([createTestDatabase(), startSlackStub()]);
  ({ researcherId } = await seedDemo(tdb.db));
  await seedNeighbours(tdb.db); // as npm run db:seed does: suggestions need the neighbours
  researchers = await snapshotResearchers(tdb.db);
  const logger = createLogger(process.env.TEST_LOG ?? "silent");
  core = createCore({
    clock,
    db: tdb.db,
    log: logger,
    claims: {
      reviewChannel: { platform: "slack", tenantId: TEAM, channelId: REVIEW_CHANNEL },
      orcid: { baseUrl: "https://orcid.example", clientId: "APP-CONTRACT" },
      signingSecret: "contract-signing-secret",
    },
  });
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
  });
  http = new HttpServer();
  service = await startSlack({ core, config, http, logger });
  baseUrl = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
  slack.channels.set(CHANNEL, { creator: USERS.manager });
  slack.channels.set(REVIEW_CHANNEL, { creator: USERS.admin });
  slack.users.set(USERS.admin, { is_admin: true });
  slack.channels.set(ELSEWHERE.channelId, { creator: ELSEWHERE.users.manager });
  slack.users.set(ELSEWHERE.users.admin, { is_admin: true });
});

afterAll(async () => {
  await service?.stop();
  await http?.close();
  await slack?.close();
  await tdb?.drop();
});

async function post(body: string): Promise<void> {
  mark = slack.calls.length;
  const timestamp = Math.floor(wallClockMs() / 1000);
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": sign(body, timestamp),
    },
    body,
  });
  if (res.status !== 200) throw new Error(`Slack request answered ${res.status}: ${await res.text()}`);
}

/**
 * The reply posted to `responseUrl` (not the replacement of the pressed message, unless `inPlace`),
 * or the modal opened for `triggerId`.
 */
async function seen(responseUrl: string, triggerId: string, actor: ActorKind, inPlace = false): Promise<Seen> {
  return slack.waitFor(() => {
    const modal = slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId);
    if (modal) {
      const view = modal.args.view as Parameters<typeof viewSubmission>[0];
      return { text: visibleText(view), visibility: "ephemeral" as const, form: true, submit: (values) => submitModal(view, values, actor) };
    }
    const reply = slack.responses.find((r) => responseUrl.endsWith(`/${r.id}`) && (r.body.replace_original === true) === inPlace);
    if (!reply) return undefined;
    return { text: visibleText(reply.body), visibility: reply.body.response_type === "in_channel" ? "in_channel" : "ephemeral", form: false };
  }, 15_000);
}

/** Who sends a request, and from which workspace and channel. */
const from = (actor: ActorKind, tenant: Tenant = "here") =>
  tenant === "here"
    ? { teamId: TEAM, userId: USERS[actor], channelId: CHANNEL }
    : { teamId: ELSEWHERE.tenantId, userId: ELSEWHERE.users[actor], channelId: ELSEWHERE.channelId };

/** Submits a modal Peerlink opened, as Slack does; the answer goes to the response_url the modal remembers. */
async function submitModal(view: Parameters<typeof viewSubmission>[0], values: Record<string, string>, actor: ActorKind): Promise<Seen> {
  const payload = { ...viewSubmission(view, values), user: { id: USERS[actor], username: actor, name: actor, team_id: TEAM } };
  await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  const { responseUrl } = JSON.parse(view.private_metadata) as { responseUrl: string };
  return seen(responseUrl, "", actor);
}

const world: World = {
  clock,
  get db() {
    return tdb.db;
  },
  get core() {
    return core;
  },
  platform: "slack",
  tenantId: TEAM,
  channelId: CHANNEL,
  get researcherId() {
    return researcherId;
  },
  userId: (kind) => USERS[kind],
  elsewhere: { tenantId: ELSEWHERE.tenantId, channelId: ELSEWHERE.channelId, userId: (kind) => ELSEWHERE.users[kind] },
  identity: (kind) => core.accounts.resolve(contextFor(world, kind).actor),
  run: (kind, text) => core.router.handleText(text, contextFor(world, kind)),
};

const driver: Driver = {
  world: () => world,
  async reset() {
    slack.reset();
    await resetState(tdb.db, researchers);
  },
  async command(name, args, actor, tenant) {
    const responseUrl = slack.responseUrl();
    const triggerId = `${++seq}.1234.contract`;
    const { teamId, userId, channelId } = from(actor, tenant);
    const fields = {
      ...slashCommandFields(`${name} ${args}`.trim(), responseUrl, triggerId),
      team_id: teamId,
      user_id: userId,
      user_name: actor,
      channel_id: channelId,
    };
    await post(new URLSearchParams(fields).toString());
    return seen(responseUrl, triggerId, actor);
  },
  async action(id: ActionId, value, actor, inPlace = false, tenant) {
    const responseUrl = slack.responseUrl();
    const { teamId, userId, channelId } = from(actor, tenant);
    const payload = buttonPress(`pl:${id}:0`, value, responseUrl, {
      user: { id: userId, username: actor, name: actor, team_id: teamId },
      team: { id: teamId, domain: "contract" },
      channel: { id: channelId, name: "contract" },
      container: { type: "message", message_ts: "1700000000.000100", channel_id: channelId, is_ephemeral: inPlace },
    });
    await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    return seen(responseUrl, payload.trigger_id, actor, inPlace);
  },
  sent(match) {
    return slack.waitFor(
      () =>
        slack.calls
          .slice(mark)
          .filter((c) => c.method === "chat.postMessage")
          .map((c) => visibleText(c.args))
          .find((t) => match.test(t)),
      10_000,
    );
  },
};

runContract("Slack", () => driver);

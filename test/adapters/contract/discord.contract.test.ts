// The command contract through the real discord.js client on the gateway stand-in: INTERACTION_CREATE
// for `/researcher <subcommand>` (admin commands in the `admin` group) and for button presses, the
// reply read from the interaction callback (or the deferred reply's edit), messages from the
// stand-in's channel message routes, rights from the member's permission bits.
import { afterAll, beforeAll } from "vitest";
import { inputFields } from "../../../commands/discord-commands.js";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { optionName } from "../../../src/adapters/discord/interactionContext.js";
import { type RunningDiscord, startDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { allCommands } from "../../../src/core/commands/index.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { seedNeighbours } from "../../../src/sources/demo/seedNeighbours.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub, type RecordedCall, type StubOption, type StubUser } from "../../support/discord-stub.js";
import { type ActorKind, contextFor, type ResearcherSnapshot, resetState, snapshotResearchers, type World } from "./commandContract.js";
import { type Driver, runContract, type Seen, type Tenant, visibleText } from "./runContract.js";

const EPHEMERAL = 64;
const CALLBACK = { reply: 4, defer: 5, update: 7, modal: 9 };
/** Member permission bits: Manage Channels (16) for the manager, Administrator (8) for the admin. */
const PERMISSION_BITS: Record<ActorKind, string> = { user: "0", manager: "16", admin: "8", other: "0" };
const USERS: Record<ActorKind, StubUser> = {
  user: { id: "1400000000000000201", username: "plain" },
  manager: { id: "1400000000000000202", username: "manager" },
  admin: { id: "1400000000000000203", username: "boss" },
  other: { id: "1400000000000000204", username: "other" },
};
const REVIEW_CHANNEL = "1300000000000000209";
/** Guild B: another guild with its own channel and members, on the same bot. */
const ELSEWHERE = {
  tenantId: "1200000000000000077",
  channelId: "1300000000000000077",
  users: {
    user: { id: "1400000000000000301", username: "b-plain" },
    manager: { id: "1400000000000000302", username: "b-manager" },
    admin: { id: "1400000000000000303", username: "b-boss" },
    other: { id: "1400000000000000304", username: "b-other" },
  } as Record<ActorKind, StubUser>,
};
/** Discord allows 25 subcommands a level: these sit in the `admin` group (commands/discord-commands.ts). */
const ADMIN_COMMANDS = new Set(["approve", "reject", "revoke", "verify", "usage"]);
/** And these in the `people` group (commands/discord-commands.ts). */
const PEOPLE_COMMANDS = new Set(["intro", "team", "privacy", "block", "unblock"]);

let stub: DiscordStub;
let tdb: TestDatabase;
let core: Core;
let discord: RunningDiscord;
let researcherId: number;
const clock = testClock();
let researchers: ResearcherSnapshot;
/** How many REST calls the stand-in had received when the last interaction was dispatched. */
let mark = 0;

beforeAll(async () => {
  [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), createTestDatabase()]);
  ({ researcherId } = await seedDemo(tdb.db));
  await seedNeighbours(tdb.db); // as npm run db:seed does: suggestions need the neighbours
  researchers = await snapshotResearchers(tdb.db);
  const logger = createLogger(process.env.TEST_LOG ?? "silent");
  core = createCore({
    clock,
    db: tdb.db,
    log: logger,
    messengers: { discord: DiscordMessenger.create({ db: tdb.db, token: stub.token, apiUrl: stub.apiUrl }) },
    claims: {
      reviewChannel: { platform: "discord", tenantId: stub.guildId, channelId: REVIEW_CHANNEL },
      orcid: { baseUrl: "https://orcid.example", clientId: "APP-CONTRACT" },
      signingSecret: "contract-signing-secret",
    },
  });
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
  discord = await startDiscord({ core, config, logger });
});

afterAll(async () => {
  await discord?.stop();
  await stub?.close();
  await tdb?.drop();
});

/**
 * The options Discord sends for `args` typed as text: what the command's fromText makes of it,
 * each field under its Discord option name and type (integers as numbers, a mention as a user pick).
 */
function optionsFor(name: string, args: string): Record<string, StubOption> {
  const command = allCommands.find((c) => c.name === name);
  if (!command) throw new Error(`no command ${name}`);
  const raw = command.fromText(args) as Record<string, unknown>;
  const types = new Map(inputFields(command).fields);
  const options: Record<string, StubOption> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (value === undefined || value === false || value === "") continue;
    const type = types.get(field)?.type;
    const mention = typeof value === "string" ? /^<@!?(\d+)>$/.exec(value) : null;
    if ((field === "user" || field === "via") && mention) options[optionName(field)] = { type: 6, value: mention[1]! };
    else if (type === "integer" || type === "number") options[optionName(field)] = Number(value);
    else options[optionName(field)] = value as string | boolean;
  }
  return options;
}

const isWebhook = (interaction: { token: string }, c: RecordedCall) => c.path.startsWith(`/webhooks/${stub.applicationId}/${interaction.token}`);

/**
 * What the person sees: the callback's reply or modal, the pressed message updated in its place
 * (`pressedFlags`: that message's), or, when deferred, the edit or ephemeral follow-up after it.
 */
async function seen(interaction: { id: string; token: string }, actor: ActorKind, pressedFlags = 0): Promise<Seen> {
  const { body } = await stub.callbackFor(interaction, 15_000);
  if (body.type === CALLBACK.update) {
    return { text: visibleText(body.data), visibility: pressedFlags & EPHEMERAL ? "ephemeral" : "in_channel", form: false };
  }
  if (body.type === CALLBACK.modal) {
    const submit = (values: Record<string, string>) => {
      mark = stub.calls.length;
      return seen(stub.modalSubmit(body.data.custom_id as string, values, at(actor)), actor);
    };
    return { text: visibleText(body.data), visibility: "ephemeral", form: true, submit };
  }
  if (body.type === CALLBACK.reply) {
    return { text: visibleText(body.data), visibility: (body.data.flags ?? 0) & EPHEMERAL ? "ephemeral" : "in_channel", form: false };
  }
  if (body.type !== CALLBACK.defer) throw new Error(`unexpected interaction callback type ${body.type}`);
  const answer = await stub.waitForCall(
    (c) => isWebhook(interaction, c) && ((c.method === "PATCH" && c.path.endsWith("/messages/@original")) || c.method === "POST"),
    15_000,
  );
  // A follow-up carries its own flags; an edit keeps the deferral's.
  const flags = (answer.method === "POST" ? answer.body.flags : body.data?.flags) ?? 0;
  return { text: visibleText(answer.body), visibility: flags & EPHEMERAL ? "ephemeral" : "in_channel", form: false };
}

const at = (actor: ActorKind, tenant: Tenant = "here") =>
  tenant === "here"
    ? { user: USERS[actor], permissions: PERMISSION_BITS[actor] }
    : { user: ELSEWHERE.users[actor], permissions: PERMISSION_BITS[actor], guildId: ELSEWHERE.tenantId, channelId: ELSEWHERE.channelId };

const world: World = {
  clock,
  get db() {
    return tdb.db;
  },
  get core() {
    return core;
  },
  platform: "discord",
  get tenantId() {
    return stub.guildId;
  },
  get channelId() {
    return stub.channelId;
  },
  get researcherId() {
    return researcherId;
  },
  userId: (kind) => USERS[kind].id,
  elsewhere: { tenantId: ELSEWHERE.tenantId, channelId: ELSEWHERE.channelId, userId: (kind) => ELSEWHERE.users[kind].id },
  identity: (kind) => core.accounts.resolve(contextFor(world, kind).actor),
  run: (kind, text) => core.router.handleText(text, contextFor(world, kind)),
};

const driver: Driver = {
  world: () => world,
  async reset() {
    stub.calls.length = 0;
    await resetState(tdb.db, researchers);
  },
  command(name, args, actor, tenant) {
    mark = stub.calls.length;
    const sub = ADMIN_COMMANDS.has(name) ? `admin ${name}` : PEOPLE_COMMANDS.has(name) ? `people ${name}` : name;
    return seen(stub.slashCommand(sub, optionsFor(name, args), at(actor, tenant)), actor);
  },
  action(id, value, actor, inPlace = false, tenant) {
    mark = stub.calls.length;
    const flags = inPlace ? EPHEMERAL : 0;
    return seen(stub.button(`pl:${id}:${value}`, at(actor, tenant), { flags }), actor, flags);
  },
  async sent(match) {
    const call = await stub.waitForCall(
      (c) => stub.calls.indexOf(c) >= mark && c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && match.test(visibleText(c.body)),
    );
    return visibleText(call.body);
  },
};

runContract("Discord", () => driver);

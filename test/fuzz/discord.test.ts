// fast-check through the real discord.js client on the gateway stand-in (issue 17): `/researcher`
// interactions with random subcommands and option values, and presses of any button with any
// value. Every interaction gets its callback inside Discord's 3 s, and what the person sees (the
// reply, or the deferred reply's edit) stays within Discord's limits and shows nothing internal.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { inputFields } from "../../commands/discord-commands.js";
import { DiscordMessenger } from "../../src/adapters/discord/DiscordMessenger.js";
import { optionName } from "../../src/adapters/discord/interactionContext.js";
import { type RunningDiscord, startDiscord } from "../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../src/config.js";
import { allCommands } from "../../src/core/commands/index.js";
import { createCore } from "../../src/core/Core.js";
import { createLogger } from "../../src/logger.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { seedNeighbours } from "../../src/sources/demo/seedNeighbours.js";
import { actionIdsOf } from "../adapters/contract/commandContract.js";
import { testClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { DiscordStub, type StubOption } from "../support/discord-stub.js";
import { buttonValue, token } from "./arbitraries.js";
import { expectNoLeak, expectWithinDiscord, FULL, SEED, visibleText } from "./replyChecks.js";

const RUNS = FULL ? { commands: 10_000, buttons: 5_000 } : { commands: 150, buttons: 100 };
vi.setConfig({ testTimeout: FULL ? 3_600_000 : 120_000 });
const ADMIN_COMMANDS = new Set(["approve", "reject", "revoke", "verify", "usage"]);
const CALLBACK = { reply: 4, defer: 5, modal: 9, update: 7, deferUpdate: 6 };

let stub: DiscordStub;
let tdb: TestDatabase;
let discord: RunningDiscord;
beforeAll(async () => {
  [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), createTestDatabase()]);
  await seedDemo(tdb.db);
  await seedNeighbours(tdb.db);
  const logger = createLogger("silent");
  const core = createCore({
    clock: testClock(),
    db: tdb.db,
    log: logger,
    messengers: { discord: DiscordMessenger.create({ db: tdb.db, token: stub.token, apiUrl: stub.apiUrl }) },
  });
  discord = await startDiscord({ core, config: loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env }), logger });
  await stub.ready();
});
afterAll(async () => {
  await discord?.stop();
  await stub?.close();
  await tdb?.drop();
});

/** Random values for a command's options, each under its Discord name and of its type. */
const optionsOf = (name: string) => {
  const command = allCommands.find((c) => c.name === name)!;
  const fields = inputFields(command).fields;
  return fc.record(
    Object.fromEntries(
      fields.map(([field, schema]) => [
        optionName(field),
        schema.type === "integer" || schema.type === "number"
          ? fc.integer({ min: -10, max: 1_000_000 })
          : schema.type === "boolean"
            ? fc.boolean()
            : token,
      ]),
    ),
    { requiredKeys: [] },
  );
};

const interaction = fc
  .constantFrom(...allCommands.map((c) => c.name))
  .chain((name) => fc.tuple(fc.constant(name), optionsOf(name), fc.constantFrom("0", "8")));

/** The callback inside 3 s, then what the person ends up seeing: checked against the limits. */
async function answered(sent: { id: string; token: string }, input: string): Promise<void> {
  const started = performance.now();
  const callback = await stub.callbackFor(sent, 10_000);
  expect(performance.now() - started, "callback").toBeLessThan(3_000);
  const body = callback.body as { type: number; data?: Record<string, any> };
  if (body.type === CALLBACK.modal) return;
  let shown = body.data;
  if (body.type === CALLBACK.defer || body.type === CALLBACK.deferUpdate) {
    const edit = await stub.waitForCall((c) => c.path.startsWith(`/webhooks/${stub.applicationId}/${sent.token}`), 15_000);
    shown = edit.body as Record<string, any>;
  }
  expectWithinDiscord(shown);
  expectNoLeak(visibleText(shown ?? {}), input);
}

it(`answers ${RUNS.commands} random interactions inside 3 s, within Discord's limits (seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(interaction, async ([name, options, permissions]) => {
      const sub = ADMIN_COMMANDS.has(name) ? `admin ${name}` : name;
      const sent = stub.slashCommand(sub, options as Record<string, StubOption>, { permissions });
      await answered(sent, JSON.stringify(options));
    }),
    { numRuns: RUNS.commands, seed: SEED, endOnFailure: true },
  );
});

const actionIds = actionIdsOf(allCommands);

it(`answers ${RUNS.buttons} presses of any button with any value inside 3 s (seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...actionIds), buttonValue, async (id, value) => {
      const sent = stub.button(`pl:${id}:${value}`.slice(0, 100));
      await answered(sent, `${id} ${value}`);
    }),
    { numRuns: RUNS.buttons, seed: SEED, endOnFailure: true },
  );
});

// Discord sharding across processes: two bots on one database, each running one of two shards
// (DISCORD_SHARDS of DISCORD_SHARD_COUNT). The gateway stand-in routes each guild's interactions
// to the shard Discord would, `(guild_id >> 22) % shard_count`, and DMs to shard 0; each process
// answers only its own.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type RunningDiscord, startDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { createCore } from "../../../src/core/Core.js";
import type { CommandAnswered } from "../../../src/core/metrics.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub } from "../../support/discord-stub.js";

let stub: DiscordStub;
let tdb: TestDatabase;
/** What each process answered, as its metrics saw it. */
const answered: CommandAnswered[][] = [[], []];
const bots: RunningDiscord[] = [];
/** Each process's acknowledgements, as its metrics would see them. */
const acks: { kind: string; seconds: number }[][] = [[], []];

const logger = createLogger(process.env.TEST_LOG ?? "silent");
const configFor = (env: Record<string, string>) =>
  loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env, DISCORD_GATEWAY_URL: stub.gatewayUrl, ...env });

beforeAll(async () => {
  [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300, shardCount: 2 }), createTestDatabase()]);
  await seedDemo(tdb.db);
  for (const shard of [0, 1]) {
    const core = createCore({ clock: testClock(), db: tdb.db, log: logger, metrics: { commandAnswered: (e) => void answered[shard]!.push(e) } });
    const config = configFor({ DISCORD_SHARD_COUNT: "2", DISCORD_SHARDS: String(shard) });
    bots.push(await startDiscord({ core, config, logger, onAck: (kind, seconds) => void acks[shard]!.push({ kind, seconds }) }));
  }
  await stub.ready();
});
afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  await stub?.close();
  await tdb?.drop();
});

it("identifies each process as the shard it was given, of the count Discord expects", () => {
  expect(bots.map((b) => b.shards())).toEqual([[0], [1]]);
  expect(stub.identifies.map((i) => i.shard).sort()).toEqual([
    [0, 2],
    [1, 2],
  ]);
  expect(stub.refusedIdentifies).toEqual([]);
});

it("answers a guild's commands from the process that runs its shard, and DMs from shard 0", async () => {
  const onShard = [stub.guildOnShard(0), stub.guildOnShard(1)];
  for (const [shard, guildId] of onShard.entries()) {
    const interaction = stub.slashCommand("lookup", { query: "Jonathan Frankle" }, { guildId });
    const callback = await stub.callbackFor(interaction);
    expect(callback.body.data.embeds[0].title).toBe("Jonathan Frankle");
    expect(stub.dispatches.find((d) => d.interactionId === interaction.id)?.shard).toBe(shard);
  }
  const dm = stub.slashCommand("help", {}, { guildId: null });
  expect((await stub.callbackFor(dm)).body.data.embeds[0].title).toMatch(/Peerlink/);
  expect(answered.map((list) => list.map((a) => a.command))).toEqual([["lookup", "help"], ["lookup"]]);
  // Each acknowledged by the process that answered it, timed from the interaction's creation.
  // (The client hears Discord's answer to the callback just after the stand-in records the call.)
  await vi.waitFor(() => expect(acks.map((list) => list.length)).toEqual([2, 1]));
  for (const ack of acks.flat()) {
    expect(["reply", "defer"]).toContain(ack.kind);
    expect(ack.seconds).toBeGreaterThanOrEqual(0);
    expect(ack.seconds).toBeLessThan(3);
  }
});

it("fails start-up with Discord's reason when the shard count is not the one Discord expects", async () => {
  const core = createCore({ clock: testClock(), db: tdb.db, log: logger });
  const config = configFor({ DISCORD_SHARD_COUNT: "3", DISCORD_SHARDS: "2" });
  await expect(startDiscord({ core, config, logger })).rejects.toThrow(
    "Discord refused shard 2: Invalid shard (DISCORD_SHARDS=2, DISCORD_SHARD_COUNT=3)",
  );
  expect(stub.refusedIdentifies.at(-1)?.shard).toEqual([2, 3]);
});

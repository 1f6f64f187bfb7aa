// Message context-menu commands through the real discord.js client on the gateway stand-in: an
// APPLICATION_COMMAND interaction of type 3 (MESSAGE) with data.target_id and data.resolved.messages.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningDiscord, startDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub } from "../../support/discord-stub.js";

vi.setConfig({ testTimeout: 30_000 });

const EPHEMERAL = 64;
let stub: DiscordStub;
let tdb: TestDatabase;
let core: Core;
let discord: RunningDiscord;
let researcherId: number;

beforeAll(async () => {
  [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), createTestDatabase()]);
  ({ researcherId } = await seedDemo(tdb.db));
  const logger = createLogger(process.env.TEST_LOG ?? "silent");
  core = createCore({ clock: testClock(), db: tdb.db, log: logger });
  discord = await startDiscord({ core, config: loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env }), logger });
});
afterAll(async () => {
  await discord?.stop();
  await stub?.close();
  await tdb?.drop();
});

type Button = { custom_id: string; label: string };
async function answer(interaction: { id: string; token: string }) {
  const { body } = await stub.callbackFor(interaction);
  if (body.type !== 5) return body.data as { flags?: number; embeds: unknown[]; components: Array<{ components: Button[] }> };
  const edit = await stub.waitForCall((c) => c.method === "PATCH" && c.path.includes(interaction.token));
  return { ...edit.body, flags: EPHEMERAL };
}
const buttonsOf = (data: { components?: Array<{ components: Button[] }> }) => (data.components ?? []).flatMap((r) => r.components);

describe("Find researchers in this message (message context menu)", () => {
  it("reads the message and its embeds and answers privately with cards that carry Follow and Invite", async () => {
    const data = await answer(
      stub.messageCommand("Find researchers in this message", {
        content: "Who wrote this? Jonathan Frankle I think.",
        embeds: [{ title: "Linear Mode Connectivity", url: "https://arxiv.org/abs/1912.05671", description: "" }],
      }),
    );
    expect(data.flags).toBe(EPHEMERAL);
    const text = JSON.stringify(data.embeds);
    expect(text).toMatch(/Researchers in this message/);
    expect(text).toMatch(/Jonathan Frankle/);
    const ids = buttonsOf(data).map((b) => b.custom_id);
    expect(ids).toContain(`pl:follow:${researcherId}`);
    expect(ids).toContain(`pl:watch_claim:${researcherId}`);
    expect(ids.filter((id) => id.startsWith("pl:follow:")).length).toBeGreaterThan(1);
  });

  it("says so when the message names nobody", async () => {
    const data = await answer(stub.messageCommand("Find researchers in this message", { content: "see you at lunch" }));
    expect(JSON.stringify(data.embeds)).toMatch(/I found no researcher in that message/);
  });
});

describe("Invite the authors of this paper (message context menu)", () => {
  it("lists the authors of the one paper the message links", async () => {
    const data = await answer(
      stub.messageCommand("Invite the authors of this paper", { content: "https://arxiv.org/abs/2003.02389 is worth a read" }),
    );
    expect(JSON.stringify(data.embeds)).toMatch(/Invite the authors of 2003\.02389/);
    const ids = buttonsOf(data).map((b) => b.custom_id);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids.every((id) => /^pl:(invite|watch_claim):/.test(id))).toBe(true);
  });
});

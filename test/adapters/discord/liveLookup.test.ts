// Live lookup through the real discord.js adapter and the Discord stand-in, the OpenAlex stand-in
// behind the core: lookups, picks, and autocomplete from the whole graph within Discord's 3 s.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub } from "../../support/discord-stub.js";
import { liveLookupFor } from "../../support/liveLookup.js";
import { QUILLFEATHER, startOpenAlexStub, type OpenAlexStub } from "../../support/openalex-stub.js";

let stub: DiscordStub;
let openalex: OpenAlexStub;
let tdb: TestDatabase;
let core: Core;
let discord: RunningDiscord;

beforeAll(async () => {
  [stub, openalex, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), startOpenAlexStub(), createTestDatabase()]);
  await seedDemo(tdb.db);
  const logger = createLogger(process.env.TEST_LOG ?? "silent");
  core = createCore({ clock: testClock(), db: tdb.db, log: logger });
  core.live = liveLookupFor(core, openalex.url).live;
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
  // Imports run inline here and a loaded machine is slow: answer directly up to just inside Discord's 3 s.
  discord = await startDiscord({ core, config, logger, options: { deferAfterMs: 2900 } });
});
afterAll(async () => {
  await discord?.stop();
  await stub?.close();
  await openalex?.close();
  await tdb?.drop();
});
beforeEach(() => {
  openalex.requests.length = 0;
  openalex.latencyMs = 0;
});

const searches = () => openalex.requests.filter((r) => r.query.search !== undefined);
const lookup = async (query: string) => (await stub.callbackFor(stub.slashCommand("lookup", { query }))).body;

describe("Discord live lookup", () => {
  it("answers a surname with a pick list from OpenAlex whose buttons import the one picked", async () => {
    const body = await lookup("Quillfeather");
    const [embed] = body.data.embeds;
    expect(embed.title).toBe("Several researchers match “Quillfeather”");
    expect(JSON.stringify(embed)).toMatch(/Fictional Institute of Fixture Studies · 14 works/);
    const ids: string[] = body.data.components.flatMap((row: { components: { custom_id: string }[] }) => row.components.map((b) => b.custom_id));
    expect(ids).toContain(`pl:lookup:oa:${QUILLFEATHER.marten.openalexId}`);
    const picked = (await stub.callbackFor(stub.button(`pl:lookup:oa:${QUILLFEATHER.marten.openalexId}`))).body;
    expect(picked.data.embeds[0].title).toBe("Mårten Quillfeather");
  });

  it("shows the card for a full name; a repeat sends no second search", async () => {
    expect((await lookup("Marta Quillfeather")).data.embeds[0].title).toBe("Marta Quillfeather");
    // Marta is already here as Mårten's co-author: she is imported by id, no search needed.
    expect(searches()).toHaveLength(0);
    openalex.requests.length = 0;
    expect((await lookup("Marta Quillfeather")).data.embeds[0].title).toBe("Marta Quillfeather");
    expect(openalex.requests).toEqual([]);
  });

  it("finds people by ORCID URL and OpenAlex URL", async () => {
    expect((await lookup(`https://openalex.org/${QUILLFEATHER.fragment.openalexId}`)).data.embeds[0].title).toBe("M. Quillfeather");
    expect((await lookup(`https://orcid.org/${QUILLFEATHER.marta.orcid}`)).data.embeds[0].title).toBe("Marta Quillfeather");
  });

  it("suggests local names first, then OpenAlex's, and answers within about a second when OpenAlex is slow", async () => {
    const { body } = await stub.callbackFor(stub.autocomplete("lookup", "query", "Frank"));
    const names = body.data.choices.map((c: { name: string }) => c.name);
    expect(names[0]).toBe("Jonathan Frankle"); // the demo record, already here
    expect(body.data.choices[0].value).toMatch(/^#\d+$/);
    expect(names).toContain("J. Frankle"); // only in OpenAlex
    expect(openalex.requests.filter((r) => r.path === "/autocomplete/authors")).toHaveLength(1);

    openalex.latencyMs = 2500;
    const started = performance.now();
    const slow = (await stub.callbackFor(stub.autocomplete("lookup", "query", "Quill"))).body;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(slow.type).toBe(8);
  });

  it("answers kindly when OpenAlex is down, and local lookups still answer", async () => {
    const live = core.live;
    core.live = liveLookupFor(core, "http://127.0.0.1:9").live;
    try {
      expect(JSON.stringify((await lookup("Zebedee Nobody")).data)).toMatch(/cannot be reached right now/);
      expect((await lookup("Jonathan Frankle")).data.embeds[0].title).toBe("Jonathan Frankle");
    } finally {
      core.live = live;
    }
  });

  it("refuses politely once the day's budget is spent", async () => {
    const live = core.live;
    core.live = liveLookupFor(core, openalex.url, { dailyBudgetUsd: 0 }).live;
    try {
      expect(JSON.stringify((await lookup("Zebedee Quillfeather")).data)).toMatch(/used today's OpenAlex allowance/);
    } finally {
      core.live = live;
    }
  });
});

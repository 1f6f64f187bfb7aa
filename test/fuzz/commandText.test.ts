// fast-check over the text command parser and every command behind it (issue 17): whatever follows
// `/researcher`, the core answers (no exception), and the answer, rendered for Slack and for
// Discord, stays within their limits and shows nothing internal.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { renderMessage as discordMessage } from "../../src/adapters/discord/render.js";
import { renderMessage as slackMessage, renderModal as slackModal } from "../../src/adapters/slack/render.js";
import type { CommandContext } from "../../src/core/context.js";
import { type Core, createCore } from "../../src/core/Core.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { seedNeighbours } from "../../src/sources/demo/seedNeighbours.js";
import { testClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { commandText } from "./arbitraries.js";
import { expectNoLeak, expectWithinBlockKit, expectWithinDiscord, FULL, SEED, visibleText } from "./replyChecks.js";

const RUNS = FULL ? 60_000 : 400;
vi.setConfig({ testTimeout: FULL ? 3_600_000 : 120_000 });

let t: TestDatabase;
let core: Core;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  await seedNeighbours(t.db);
  const log = { error: (details: object, message: string) => errors.push(`${message} ${JSON.stringify(details).slice(0, 300)}`) };
  core = createCore({ clock: testClock(), db: t.db, log });
});
afterAll(async () => t?.drop());
const errors: string[] = [];

const context = (platform: "slack" | "discord", admin: boolean, user: number): CommandContext => ({
  actor: {
    platform,
    tenantId: platform === "slack" ? "T0FUZZ" : "1200000000000000099",
    userId: platform === "slack" ? `U0FUZZ${user}` : `14000000000000003${user}`,
    displayName: `fuzz ${user}`,
  },
  channelId: platform === "slack" ? "C0FUZZ" : "1300000000000000099",
  permissions: { canManageChannel: admin, isAdmin: admin },
});

it(`answers ${RUNS} random commands within both platforms' limits, never with an exception or an internal detail (seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(
      commandText,
      fc.constantFrom("slack" as const, "discord" as const),
      fc.boolean(),
      fc.integer({ min: 0, max: 3 }),
      async (text, platform, admin, user) => {
        errors.length = 0;
        const response = await core.router.handleText(text, context(platform, admin, user));
        expect(errors, "the core logged an error").toEqual([]);
        const { reply } = response;
        if (reply.kind === "form") {
          const modal = slackModal(reply, { command: "fuzz", fixed: {} });
          expectWithinBlockKit(modal, 100);
        } else {
          expectWithinBlockKit(slackMessage(reply));
        }
        const discord = discordMessage(reply);
        expectWithinDiscord(discord);
        expectNoLeak(visibleText(reply), text);
      },
    ),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});

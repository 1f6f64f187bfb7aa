// fast-check through the real HTTP server and Bolt (issue 17): correctly signed slash commands,
// block_actions and view_submission requests with random contents. Every request is acknowledged
// with 200 inside Slack's 3 s; what Peerlink then posts (response_url, modals, messages) stays
// within Block Kit's limits and shows nothing internal.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { actionIdOf, FORM_CALLBACK_ID } from "../../src/adapters/slack/render.js";
import { allCommands } from "../../src/core/commands/index.js";
import type { ActionId } from "../../src/core/reply.js";
import { seedNeighbours } from "../../src/sources/demo/seedNeighbours.js";
import { actionIdsOf } from "../adapters/contract/commandContract.js";
import { buttonPress, type SlackHarness, startSlackHarness, viewSubmission } from "../adapters/slack/slackHarness.js";
import { buttonValue, commandText, token } from "./arbitraries.js";
import { expectNoLeak, expectWithinBlockKit, FULL, SEED, visibleText } from "./replyChecks.js";

const RUNS = FULL ? { commands: 10_000, actions: 10_000, views: 5_000 } : { commands: 150, actions: 150, views: 60 };
vi.setConfig({ testTimeout: FULL ? 3_600_000 : 120_000 });
const ACK_MS = 3_000;

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
  await seedNeighbours(h.tdb.db);
});
afterAll(async () => h?.close());

/** Everything Peerlink sent to Slack since call `mark` and to `responseUrl`: each within limits and clean. */
async function checkOutput(mark: number, responseId: string | undefined, input: string): Promise<void> {
  // The answer comes after the ack: wait until Peerlink has finished with the request (its answer and any Web API calls).
  await h.service.idle();
  for (const r of h.slack.responses.filter((r) => r.id === responseId)) {
    expectWithinBlockKit(r.body);
    expectNoLeak(visibleText(r.body), input);
  }
  for (const c of h.slack.calls.slice(mark)) {
    if (c.args.view) expectWithinBlockKit(c.args.view, 100);
    else if (c.args.blocks) expectWithinBlockKit(c.args);
    expectNoLeak(visibleText(c.args.view ?? c.args.blocks ?? c.args.text ?? ""), input);
  }
}

const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
};

it(`acknowledges ${RUNS.commands} random signed slash commands in time and answers cleanly (seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(commandText, async (text) => {
      const mark = h.slack.calls.length;
      const [res, ms] = await timed(() => h.command(text));
      expect(res.status).toBe(200);
      expect(ms, "ack").toBeLessThan(ACK_MS);
      expectNoLeak(res.text, text);
      const responseId = res.responseUrl.split("/").at(-1);
      await checkOutput(mark, responseId, text);
      // Every command is answered: by response_url, or by a Web API call (a modal, a message).
      expect(h.slack.responses.some((r) => r.id === responseId) || h.slack.calls.length > mark, "an answer").toBe(true);
    }),
    { numRuns: RUNS.commands, seed: SEED, endOnFailure: true },
  );
});

const actionIds = actionIdsOf(allCommands) as ActionId[];

it(`acknowledges ${RUNS.actions} random button presses (any action, any value) in time and answers cleanly (seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...actionIds).map((id) => actionIdOf(id, 0)) },
        { weight: 1, arbitrary: token.map((t) => `pl:${t}`) },
      ),
      buttonValue,
      async (actionId, value) => {
        const mark = h.slack.calls.length;
        const responseUrl = h.slack.responseUrl();
        const [res, ms] = await timed(() => h.interaction(buttonPress(actionId, value, responseUrl)));
        expect(res.status).toBe(200);
        expect(ms, "ack").toBeLessThan(ACK_MS);
        await checkOutput(mark, responseUrl.split("/").at(-1), `${actionId} ${value}`);
      },
    ),
    { numRuns: RUNS.actions, seed: SEED, endOnFailure: true },
  );
});

const formMetadata = fc.oneof(
  fc
    .record({
      command: fc.oneof(fc.constantFrom(...allCommands.map((c) => c.name)), token),
      fixed: fc.dictionary(fc.constantFrom("researcher", "name", "query", "page", "message", "x"), fc.oneof(token, buttonValue)),
    })
    .map((m) => JSON.stringify(m)),
  token,
);

it(`answers ${RUNS.views} random modal submissions in time, within a modal's limits (seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(formMetadata, fc.dictionary(fc.constantFrom("message", "name", "query", "value", "x"), token), async (metadata, values) => {
      const mark = h.slack.calls.length;
      const view = { private_metadata: metadata, callback_id: FORM_CALLBACK_ID, title: { type: "plain_text", text: "Invite" } };
      const [res, ms] = await timed(() => h.interaction(viewSubmission(view, values)));
      expect(res.status).toBe(200);
      expect(ms, "ack").toBeLessThan(ACK_MS);
      const input = `${metadata} ${Object.values(values).join(" ")}`;
      if (res.text) {
        const body = JSON.parse(res.text) as { response_action?: string; view?: { blocks?: unknown[] }; errors?: Record<string, string> };
        if (body.view) expectWithinBlockKit(body.view, 100);
        expectNoLeak(visibleText(body), input);
      }
      await checkOutput(mark, undefined, input);
    }),
    { numRuns: RUNS.views, seed: SEED, endOnFailure: true },
  );
});

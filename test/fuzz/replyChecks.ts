// What every reply must be, whatever was typed or pressed: within the platform's limits (Block Kit,
// Discord embeds and components), and free of what only we should see (stack traces, error class
// names, driver and SQL errors, `undefined`, the apology that means an exception reached the edge).
import { expect } from "vitest";
import { LIMITS as SLACK } from "../../src/adapters/slack/render.js";
import { LIMITS as DISCORD } from "../../src/adapters/discord/render.js";
import { visibleText } from "../adapters/contract/runContract.js";

const LEAKS: Array<[string, RegExp]> = [
  ["a stack frame", /\n\s*at [^\n]+:\d+:\d+/],
  ["a source path", /(?:src|node_modules)\/[\w./-]+\.(?:ts|js)/],
  ["an error class", /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|ZodError|PrismaClient\w*Error)\b/],
  ["a Prisma or Postgres error", /\bP[12]\d{3}\b|Invalid `prisma|duplicate key value|violates (?:unique|foreign key|check) constraint|ECONNREFUSED/],
  ["undefined or an object's default string", /\bundefined\b|\[object Object\]|\bNaN\b/],
  ["the apology (an exception reached the adapter)", /Sorry, something went wrong on our side/],
];

/** Fails when `text` shows something internal that `input` (echoed back, as names are) did not contain. */
export function expectNoLeak(text: string, input: string): void {
  for (const [what, pattern] of LEAKS) {
    if (pattern.test(input)) continue;
    expect(pattern.test(text), `the reply shows ${what}: ${text.slice(0, 500)}`).toBe(false);
  }
}

const len = (s: unknown) => (typeof s === "string" ? [...s].length : 0);

/** Block Kit's limits on a message or a modal (https://api.slack.com/reference/block-kit). */
export function expectWithinBlockKit(payload: { blocks?: unknown[]; text?: string }, maxBlocks: number = SLACK.blocks): void {
  const blocks = (payload.blocks ?? []) as Array<Record<string, any>>;
  expect(blocks.length, "blocks").toBeLessThanOrEqual(maxBlocks);
  if (payload.text !== undefined) expect(len(payload.text), "fallback text").toBeLessThanOrEqual(40_000);
  for (const b of blocks) {
    if (b.type === "section") {
      if (b.text) expect(len(b.text.text), "section text").toBeLessThanOrEqual(SLACK.sectionText);
      expect((b.fields ?? []).length, "section fields").toBeLessThanOrEqual(SLACK.fields);
      for (const f of b.fields ?? []) expect(len(f.text), "field text").toBeLessThanOrEqual(SLACK.fieldText);
    }
    if (b.type === "header") expect(len(b.text?.text), "header").toBeLessThanOrEqual(SLACK.headerText);
    if (b.type === "context") for (const e of b.elements ?? []) expect(len(e.text), "context text").toBeLessThanOrEqual(SLACK.contextText);
    if (b.type === "actions") {
      expect((b.elements ?? []).length, "actions").toBeLessThanOrEqual(SLACK.actionsElements);
      for (const e of b.elements ?? []) {
        expect(len(e.text?.text), "button text").toBeLessThanOrEqual(SLACK.buttonText);
        expect(len(e.value), "button value").toBeLessThanOrEqual(SLACK.buttonValue);
        expect(len(e.action_id), "action_id").toBeLessThanOrEqual(SLACK.actionId);
      }
    }
    if (b.block_id !== undefined) expect(len(b.block_id), "block_id").toBeLessThanOrEqual(255);
  }
}

/** Discord's limits on a message: embeds and their 6,000 characters, button rows, content. */
export function expectWithinDiscord(body: Record<string, any> | undefined): void {
  if (!body) return;
  if (body.content !== undefined) expect(len(body.content), "content").toBeLessThanOrEqual(2000);
  const embeds = (body.embeds ?? []) as Array<Record<string, any>>;
  expect(embeds.length, "embeds").toBeLessThanOrEqual(DISCORD.embeds);
  let total = 0;
  for (const e of embeds) {
    expect(len(e.title), "title").toBeLessThanOrEqual(DISCORD.title);
    expect(len(e.description), "description").toBeLessThanOrEqual(DISCORD.description);
    expect((e.fields ?? []).length, "fields").toBeLessThanOrEqual(DISCORD.fields);
    for (const f of e.fields ?? []) {
      expect(len(f.name), "field name").toBeLessThanOrEqual(DISCORD.fieldName);
      expect(len(f.value), "field value").toBeLessThanOrEqual(DISCORD.fieldValue);
    }
    expect(len(e.footer?.text), "footer").toBeLessThanOrEqual(DISCORD.footer);
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
    for (const f of e.fields ?? []) total += len(f.name) + len(f.value);
  }
  expect(total, "embed characters").toBeLessThanOrEqual(DISCORD.total);
  const rows = (body.components ?? []) as Array<Record<string, any>>;
  expect(rows.length, "component rows").toBeLessThanOrEqual(DISCORD.rows);
  for (const row of rows) {
    expect((row.components ?? []).length, "components in a row").toBeLessThanOrEqual(DISCORD.buttonsPerRow);
    for (const c of row.components ?? []) {
      expect(len(c.label), "button label").toBeLessThanOrEqual(DISCORD.buttonLabel);
      expect(len(c.custom_id), "custom_id").toBeLessThanOrEqual(100);
    }
  }
}

export { visibleText };

/** How many cases each property runs: a few thousand in all in CI, 100,000 in all with FUZZ_SIZE=full (npm run faults). */
export const FULL = process.env.FAULTS_SIZE === "full" || process.env.FUZZ_SIZE === "full";
/** A fixed seed in CI so a failure repeats; FUZZ_SEED repeats any run (fast-check prints the seed and path of a failure). */
export const SEED = Number(process.env.FUZZ_SEED ?? (FULL ? Math.floor(Math.random() * 2 ** 31) : 20261202));

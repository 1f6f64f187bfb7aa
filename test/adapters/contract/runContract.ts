// Turns the contract table into specs for one platform: one `it` per case, each starting from the
// seeded state, sent through that platform's real adapter, checked by what the person sees, what
// Postgres holds and what Peerlink sent.
import { describe, expect, it } from "vitest";
import { allCommands } from "../../../src/core/commands/index.js";
import { type ActionId } from "../../../src/core/reply.js";
import { abuseCases } from "./abuseTable.js";
import { actionCases, actionIdsOf, type ActorKind, commandCases, type ContractCase, type Setup, type World } from "./commandContract.js";

/** What the person saw: every string in the reply, whether others saw it too, whether it is a form. */
export interface Seen {
  text: string;
  visibility: "ephemeral" | "in_channel";
  form: boolean;
  /** A form only: submits it with these values as the person who opened it, and what they see then. */
  submit?: (values: Record<string, string>) => Promise<Seen>;
}

/** Which tenant the actor acts in: the world's own, or the second one (World.elsewhere). */
export type Tenant = "here" | "elsewhere";

/** One platform's adapter, driven as its users drive it. */
export interface Driver {
  world(): World;
  /** Resets recorded stand-in traffic and Postgres to the seeded state. */
  reset(): Promise<void>;
  command(name: string, args: string, actor: ActorKind, tenant?: Tenant): Promise<Seen>;
  /** `inPlace`: the button is on an ephemeral reply and the answer is expected to replace it. */
  action(id: ActionId, value: string, actor: ActorKind, inPlace?: boolean, tenant?: Tenant): Promise<Seen>;
  /** Resolves with the text of a message Peerlink sent (DM or channel post, not a reply) since the last command or press, that matches. */
  sent(match: RegExp): Promise<string>;
}

/** Every string anywhere in a platform payload, one per line: what a reader of it could see. */
export function visibleText(payload: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(payload);
  return out.join("\n");
}

async function check(driver: Driver, c: ContractCase, send: (s: Setup, w: World) => Promise<Seen>): Promise<void> {
  await driver.reset();
  const w = driver.world();
  const s = (await c.setup?.(w)) ?? {};
  const seen = await send(s, w);
  for (const pattern of c.reply) expect(seen.text, `reply should match ${pattern}`).toMatch(pattern);
  expect(seen.visibility, "visibility").toBe(c.visibility ?? "ephemeral");
  expect(seen.form, "reply is a form").toBe(c.form ?? false);
  await effects(driver, c, w, s);
  if (c.submit) {
    if (!seen.submit) throw new Error("the reply is no form that can be submitted");
    const submitted = await seen.submit(c.submit.values);
    for (const pattern of c.submit.reply) expect(submitted.text, `submission's reply should match ${pattern}`).toMatch(pattern);
    await effects(driver, c.submit, w, s);
  }
}

async function effects(driver: Driver, c: Pick<ContractCase, "effect" | "sent">, w: World, s: Setup): Promise<void> {
  if (c.effect) {
    const { query, expected } = c.effect;
    expect(await query(w, s)).toEqual(typeof expected === "function" ? await (expected as (w: World, s: Setup) => unknown)(w, s) : expected);
  }
  if (c.sent) expect(await driver.sent(c.sent)).toMatch(c.sent);
}

const argOf = async (v: ContractCase["args"], s: Setup, w: World) => (typeof v === "function" ? v(s, w) : (v ?? ""));

const on = (platform: string) => (c: ContractCase) => !c.platforms || c.platforms.some((p) => p.toLowerCase() === platform.toLowerCase());

export function runContract(platform: string, driver: () => Driver): void {
  describe(`${platform}: every command and action in the core's list has a contract row`, () => {
    it("has cases for exactly the commands in allCommands", () => {
      expect(Object.keys(commandCases).sort()).toEqual(allCommands.map((c) => c.name).sort());
      for (const [name, cases] of Object.entries(commandCases)) expect(cases.length, name).toBeGreaterThan(0);
    });
    it("has cases for exactly the button actions the commands own", () => {
      expect(Object.keys(actionCases).sort()).toEqual(actionIdsOf(allCommands));
      for (const [id, cases] of Object.entries(actionCases)) expect(cases.length, id).toBeGreaterThan(0);
    });
  });

  describe(`${platform}: /researcher <command>`, () => {
    for (const [name, cases] of Object.entries(commandCases)) {
      for (const c of cases.filter(on(platform))) {
        it(`${name} (${c.actor ?? "user"}): ${c.name}`, () =>
          check(driver(), c, async (s, w) => driver().command(name, await argOf(c.args, s, w), c.actor ?? "user")));
      }
    }
  });

  describe(`${platform}: authorization and abuse (issue #17)`, () => {
    for (const c of abuseCases.filter(on(platform))) {
      const tenant = c.tenant ?? "here";
      it(`${c.command ?? c.action} (${c.actor ?? "user"}${tenant === "elsewhere" ? " of the other tenant" : ""}): ${c.name}`, () =>
        check(driver(), c, async (s, w) => {
          for (const step of c.before ?? []) {
            const args = await argOf(step.args, s, w);
            const seen = await driver().command(step.command, args, c.actor ?? "user", tenant);
            for (const pattern of step.reply) expect(seen.text, `${step.command} ${args} should answer ${pattern}`).toMatch(pattern);
          }
          w.clock.advance(c.laterMs ?? 0);
          try {
            return await (c.command
              ? driver().command(c.command, await argOf(c.args, s, w), c.actor ?? "user", tenant)
              : driver().action(c.action as ActionId, await argOf(c.value, s, w), c.actor ?? "user", false, tenant));
          } finally {
            w.clock.advance(-(c.laterMs ?? 0));
          }
        }));
    }
  });

  describe(`${platform}: buttons`, () => {
    it("answers a button no command owns (an old message's) with a notice, not silence", async () => {
      await driver().reset();
      const seen = await driver().action("retired_button" as ActionId, "1", "user");
      expect(seen.text).toMatch(/That button is no longer supported/);
      expect(seen.visibility).toBe("ephemeral");
    });

    for (const [id, cases] of Object.entries(actionCases)) {
      for (const c of cases.filter(on(platform))) {
        it(`${id} (${c.actor ?? "user"}): ${c.name}`, () =>
          check(driver(), c, async (s, w) => driver().action(id as ActionId, await argOf(c.value, s, w), c.actor ?? "user", c.inPlace)));
      }
    }
  });
}

import { z } from "zod";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import type { Tenant } from "../intros/IntroMembers.js";
import type { IntroPath } from "../intros/IntroPathSearch.js";
import { askForm, hereAs, introItem, parseAskValue, type StoredPath } from "../intros/introReplies.js";
import { type Action, ephemeral, notice, type Response } from "../reply.js";
import { defineCommand } from "./Command.js";
import { query } from "./lookup.js";
import { resolveResearcher } from "./resolveResearcher.js";

/** Paths shown at once: the closest people; the rest are further or colder. */
export const MAX_INTRO_PATHS = 10;
export const MAX_INTRO_MESSAGE = 1000;

const introPick = (id: number): Action => ({ id: "intro", label: "Warm intros", value: String(id) });

const NO_SERVER = "Intros are between people of one server: run /researcher intro in the server, not in a DM.";

/**
 * Text syntax: `/researcher intro <name>` lists the ways in; `/researcher intro <name> via @member`
 * (optionally `: <message>`) asks that member, as the "Ask for an intro" button does.
 */
export function splitIntro(text: string): { query: string; via?: string; message?: string } {
  const m = /^(.*?)\s+via\s+(<@[^>]+>|@?[^\s:]+)\s*(?::\s*([\s\S]*))?$/i.exec(text.trim());
  if (!m) return { query: text.trim() };
  return { query: m[1]!.trim(), via: m[2]!, ...(m[3] !== undefined && { message: m[3].trim() }) };
}

/** "#123" is how forms and buttons name a researcher exactly; anything else is searched. */
async function resolve(core: CoreServices, q: string, ctx: CommandContext) {
  const byId = /^#(\d{1,9})$/.exec(q);
  if (byId) {
    const name = await core.profiles.name(Number(byId[1]));
    if (name === null) return { ok: false as const, response: ephemeral(notice("warning", "That researcher no longer exists.")) };
    return { ok: true as const, researcherId: Number(byId[1]) };
  }
  return resolveResearcher(core, q, introPick, ctx);
}

/** The intro list: each member's shortest path, closest first, each with "Ask for an intro". */
async function introList(targetId: number, tenant: Tenant, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const targetName = await core.profiles.name(targetId);
  if (targetName === null) return ephemeral(notice("warning", "That researcher no longer exists."));
  const me = await core.accounts.resolve(ctx.actor);
  const { members, paths } = await core.intros.paths(tenant, me, targetId);
  const here = members.filter((m) => m.researcherId === targetId);
  const hereLine = here.length ? `${targetName} is here as @${here[0]!.handle}: you can write to them directly. ` : "";
  if (members.length === 0) {
    return ephemeral(notice("info", "Nobody here is listed for intros yet. People who claimed their profile can join with /researcher privacy on."));
  }
  if (paths.length === 0) {
    const n = members.length;
    return ephemeral(
      notice(
        "info",
        `${hereLine}None of the ${n} ${n === 1 ? "person" : "people"} listed for intros here is within 3 co-authorship hops of ${targetName}.`,
      ),
    );
  }
  const shown = paths.slice(0, MAX_INTRO_PATHS);
  const people = new Set(paths.map((p) => p.member.accountId)).size;
  return ephemeral({
    kind: "list",
    title: `Warm intros to ${targetName}`,
    intro: `${hereLine}${people} ${people === 1 ? "person" : "people"} here can introduce you, closest first (fewest hops, then the strongest ties: shared papers, recent ones counting more).`,
    items: shown.map((p) => introItem(p, targetId)),
    footer:
      paths.length > shown.length
        ? `Showing the ${shown.length} closest of ${paths.length} paths.`
        : "Only people who opted in here (/researcher privacy) are listed.",
  });
}

/** The path from one member (named by their user id here) to the target, found again now. */
async function pathVia(core: CoreServices, tenant: Tenant, ctx: CommandContext, targetId: number, via: string) {
  const me = await core.accounts.resolve(ctx.actor);
  const named = await core.intros.members.named(tenant, via);
  if (named.length === 0) {
    return {
      ok: false as const,
      response: ephemeral(notice("warning", `${via} isn't listed for intros here. /researcher intro <name> shows who is.`)),
    };
  }
  if (named.every((m) => m.accountId === me.accountId)) {
    return { ok: false as const, response: ephemeral(notice("info", "That's you: you can write to them yourself.")) };
  }
  const { paths } = await core.intros.paths(tenant, me, targetId);
  const path = paths.find((p) => named.some((m) => m.identityId === p.member.identityId));
  if (!path) {
    const name = await core.profiles.name(targetId);
    return {
      ok: false as const,
      response: ephemeral(
        notice("info", `${named[0]!.researcherName} is not within 3 co-authorship hops of ${name ?? "them"}, so they can't introduce you.`),
      ),
    };
  }
  return { ok: true as const, path, me };
}

async function ask(core: CoreServices, ctx: CommandContext, tenant: Tenant, targetId: number, via: string, message: string): Promise<Response> {
  const found = await pathVia(core, tenant, ctx, targetId, via);
  if (!found.ok) return found.response;
  const { path, me } = found;
  const targetName = path.nodes.at(-1)!.name;
  const stored: StoredPath = { nodes: path.nodes, ties: path.ties };
  const outcome = await core.invitations.send(me, ctx, path.member.researcherId, message, { targetId, targetName, path: stored });
  if (!outcome.ok) return ephemeral(outcome.reply);
  return ephemeral(
    notice(
      "success",
      `I've asked ${hereAs(path)} to introduce you to ${targetName}. I'll message you when they answer; /researcher invites shows its status.`,
    ),
  );
}

async function openAskForm(core: CoreServices, ctx: CommandContext, value: string): Promise<Response> {
  const parsed = parseAskValue(value);
  if (!parsed) return ephemeral(notice("error", "That button is no longer valid."));
  const tenant = core.intros.tenantOf(ctx.actor);
  if (!tenant) return ephemeral(notice("info", NO_SERVER));
  const found = await pathVia(core, tenant, ctx, parsed.targetId, `<@${parsed.memberUserId}>`);
  if (!found.ok) return found.response;
  const path: IntroPath = found.path;
  return ephemeral(askForm(path, parsed.targetId, path.nodes.at(-1)!.name, MAX_INTRO_MESSAGE));
}

export const introCommand = defineCommand({
  name: "intro",
  aliases: ["introduce"],
  usage: "/researcher intro <name> [via @member[: message]]",
  summary: "Who here can introduce you to a researcher: members' shortest co-author paths (up to 3 hops), closest first, each with Ask for an intro.",
  input: z.object({
    query,
    via: z.string().trim().min(1, "Say who to ask: @name.").max(100, "That name is too long.").optional(),
    message: z.string().trim().max(MAX_INTRO_MESSAGE, `Your message is too long (${MAX_INTRO_MESSAGE} characters at most).`).optional(),
  }),
  fromText: splitIntro,
  async run({ query, via, message }, ctx, core) {
    const tenant = core.intros.tenantOf(ctx.actor);
    if (!tenant) return ephemeral(notice("info", NO_SERVER));
    const resolved = await resolve(core, query, ctx);
    if (!resolved.ok) return resolved.response;
    if (via === undefined) return introList(resolved.researcherId, tenant, ctx, core);
    return ask(core, ctx, tenant, resolved.researcherId, via, message ?? "");
  },
  actions: {
    async intro(value, ctx, core) {
      const id = Number(value);
      if (!Number.isSafeInteger(id) || id <= 0) return ephemeral(notice("error", "That button is no longer valid."));
      const tenant = core.intros.tenantOf(ctx.actor);
      if (!tenant) return ephemeral(notice("info", NO_SERVER));
      return introList(id, tenant, ctx, core);
    },
    ask_intro: (value, ctx, core) => openAskForm(core, ctx, value),
  },
});

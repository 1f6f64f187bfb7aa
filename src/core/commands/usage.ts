import { z } from "zod";
import type { Field } from "../reply.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand } from "./Command.js";

/** The price classes in the order OpenAlex's pricing lists them, with how the card names them. */
const KINDS: [kind: string, label: string][] = [
  ["singleton", "Single records (free)"],
  ["list", "Lists ($0.10 per 1,000)"],
  ["search", "Searches ($1 per 1,000)"],
];

const dollars = (usd: number) => `$${usd.toFixed(usd > 0 && usd < 0.01 ? 4 : 2)}`;
/** To the cent when that is exact, else to a hundredth of a cent (one list request): $0.9964 does not round up to $1.00. */
const exactDollars = (usd: number) => `$${usd.toFixed(Math.abs(usd * 100 - Math.round(usd * 100)) < 1e-6 ? 2 : 4)}`;
const requests = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "request" : "requests"}`;

/** Admins: what live lookup cost today, so they can tell whether the daily budget will last. */
export const usageCommand = defineCommand({
  name: "usage",
  usage: "/researcher usage",
  summary: "Admins: today's OpenAlex requests and spend against the daily budget.",
  input: z.object({}),
  fromText: () => ({}),
  async run(_input, ctx, core) {
    if (!ctx.permissions.isAdmin) return ephemeral(notice("error", "Only workspace admins can see the OpenAlex usage."));
    const directory = core.live.directory;
    if (!directory) return ephemeral(notice("info", "Live lookup is off (no OpenAlex directory is configured), so nothing is spent."));
    const u = await directory.usage();
    const share = u.budgetUsd > 0 ? ` (${Math.round((u.spentUsd / u.budgetUsd) * 100)}%)` : "";
    const fields: Field[] = [
      { label: "Spent", value: `${dollars(u.spentUsd)} of ${dollars(u.budgetUsd)}${share}` },
      ...KINDS.map(([kind, label]) => ({
        label,
        value: `${requests(u.requests[kind] ?? 0)} · ${dollars(u.spentUsdByKind[kind] ?? 0)}`,
        inline: true,
      })),
    ];
    if (u.upstream) {
      const at = u.upstream.seenAt.toISOString().slice(11, 16);
      fields.push({
        label: "OpenAlex reports",
        value: `${exactDollars(u.upstream.remainingUsd)} left of this key's ${dollars(u.upstream.limitUsd)} today (at ${at} UTC)`,
      });
    }
    return ephemeral({
      kind: "card",
      title: `OpenAlex usage on ${u.day} (UTC)`,
      fields,
      items: [],
      context: u.keyed
        ? "Counted before each request is sent; a paid request past the budget is refused. The day starts at 00:00 UTC."
        : "No OpenAlex API key is configured: without one OpenAlex allows about $0.01 a day. Set OPENALEX_API_KEY.",
      actions: [],
    });
  },
});

import { z } from "zod";
import { canonicalTimeZone, isValidTimeZone } from "../notifications/localTime.js";
import { NotificationSettings } from "../notifications/NotificationSettings.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand } from "./Command.js";

const hourText = (h: number) => `${String(h).padStart(2, "0")}:00`;
const missedText = (on: boolean) =>
  on
    ? "the weekly summary of papers you missed (while snoozed, or undeliverable) comes on Monday at your digest hour, only when there are some."
    : "the weekly summary of papers you missed is off.";

export const digestCommand = defineCommand({
  name: "digest",
  usage: "/researcher digest [instant | daily | weekly] [hour 0-23] [timezone, e.g. Europe/Berlin] [missed on | off]",
  summary:
    "Get new papers one by one (instant) or as one daily or weekly message at your local hour; missed on|off turns the Monday summary of papers you missed (while snoozed, or undeliverable) on or off.",
  input: z.object({
    mode: z.enum(["instant", "daily", "weekly"], { error: "Choose instant, daily or weekly." }).optional(),
    hour: z.coerce
      .number({ error: "The hour must be a number from 0 to 23." })
      .int("The hour must be a whole number from 0 to 23.")
      .min(0, "The hour must be from 0 to 23.")
      .max(23, "The hour must be from 0 to 23.")
      .optional(),
    timezone: z
      .string()
      .trim()
      .max(64, "That timezone is too long.")
      .refine(isValidTimeZone, "That is not a timezone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.")
      .transform(canonicalTimeZone)
      .optional(),
    missed: z.enum(["on", "off"], { error: "Say missed on or missed off." }).optional(),
  }),
  fromText(text) {
    const words = text.trim().split(/\s+/).filter(Boolean);
    const raw: Record<string, string> = {};
    const missedAt = words.findIndex((w) => w.toLowerCase() === "missed");
    if (missedAt >= 0) raw.missed = words.splice(missedAt, 2).slice(1).join("").toLowerCase();
    if (words[0]) raw.mode = words.shift()!.toLowerCase();
    for (const w of words) {
      if (/^\d+(?::00)?h?$/i.test(w) && raw.hour === undefined) raw.hour = w.replace(/(:00)?h?$/i, "");
      else if (/^-?\d/.test(w) && raw.hour === undefined) raw.hour = w;
      else raw.timezone = w;
    }
    return raw;
  },
  async run({ mode, hour, timezone, missed }, ctx, core) {
    const settings = new NotificationSettings(core.db);
    const me = await core.accounts.resolve(ctx.actor);
    if (missed) {
      await settings.setMissedSummary(me.accountId, missed === "on");
      if (!mode) return ephemeral(notice("success", missedText(missed === "on")));
    }
    if (!mode) {
      const d = await settings.digest(me.accountId);
      const now = d.mode === "instant" ? "one message per new paper" : `a ${d.mode} digest at ${hourText(d.hour)} ${d.timezone}`;
      return ephemeral(
        notice(
          "info",
          `You get ${now}; ${missedText(d.missedSummary)} Change it with /researcher digest instant | daily | weekly [hour] [timezone] [missed on | off].`,
        ),
      );
    }
    await settings.setDigest(me.accountId, { mode, hour, timezone });
    if (mode === "instant") return ephemeral(notice("success", "You'll get one message per new paper, as soon as it is found."));
    const d = await settings.digest(me.accountId);
    const when = mode === "weekly" ? `every Monday at ${hourText(d.hour)}` : `every day at ${hourText(d.hour)}`;
    return ephemeral(notice("success", `You'll get one message listing new papers ${when} (${d.timezone}).`));
  },
});

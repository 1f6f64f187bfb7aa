import { z } from "zod";
import { NotificationSettings } from "../notifications/NotificationSettings.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand } from "./Command.js";

export const MAX_SNOOZE_MS = 30 * 86_400_000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** "2h" → 7 200 000; "off" → 0; anything else → null. */
export function parseSnooze(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (["off", "stop", "end", "cancel"].includes(t)) return 0;
  const m = /^(\d{1,4})\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2]![0] as keyof typeof UNIT_MS];
}

const FORMAT = "Say how long, e.g. 2h, 3d or 1w (at most 30 days), or “off” to end a snooze.";

export const snoozeCommand = defineCommand({
  name: "snooze",
  usage: "/researcher snooze <30m | 2h | 3d | 1w | off>",
  summary: "Pause all new-paper messages for a while (at most 30 days).",
  // Typed options (Discord) and text both arrive as the words the person typed: "2h", "off".
  input: z.object({
    duration: z
      .string({ error: FORMAT })
      .trim()
      // "30d" or "off": anything longer is not a duration (and Discord caps the option at this).
      .max(20, FORMAT)
      .transform((text, ctx) => {
        const ms = parseSnooze(text);
        if (ms === null) ctx.addIssue({ code: "custom", message: FORMAT });
        else if (ms > MAX_SNOOZE_MS) ctx.addIssue({ code: "custom", message: "You can snooze for at most 30 days." });
        else if (ms !== 0 && ms < 60_000) ctx.addIssue({ code: "custom", message: "Snooze for at least one minute." });
        return ms ?? 0;
      }),
  }),
  fromText: (text) => ({ duration: text }),
  async run({ duration: durationMs }, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    const settings = new NotificationSettings(core.db);
    if (durationMs === 0) {
      await settings.snooze(me.accountId, null);
      return ephemeral(notice("success", "Snooze ended: new-paper messages are back on."));
    }
    const until = new Date(core.clock.now().getTime() + durationMs);
    await settings.snooze(me.accountId, until);
    const { timezone } = await settings.digest(me.accountId);
    const shown = until.toLocaleString("en-GB", { timeZone: timezone, dateStyle: "medium", timeStyle: "short" });
    return ephemeral(
      notice(
        "success",
        `Snoozed until ${shown} (${timezone}). Papers found meanwhile are not sent (the Monday after, a summary lists what you missed); a digest due meanwhile waits. /researcher snooze off to end it.`,
      ),
    );
  },
});

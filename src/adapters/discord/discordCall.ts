// Every Discord call an interaction makes goes through discordCall, so its failure arrives at the
// adapter's edge tagged with what the call was and why it failed (see docs/failures.md).
import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";
import { type FailureReason, type PlatformCall, PlatformCallError, transportReason } from "../platformFailures.js";

/** JSON error codes that mean the interaction can no longer be answered through its token. */
const GONE_CODES = new Set([
  10062, // Unknown interaction: not acknowledged within 3 s (or already gone)
  10015, // Unknown webhook: the interaction token expired (15 minutes)
  40060, // Interaction has already been acknowledged
]);

export function discordReason(error: unknown): FailureReason {
  if (error instanceof RateLimitError) return "rate_limited";
  if (error instanceof DiscordAPIError) {
    if (GONE_CODES.has(Number(error.code))) return "gone";
    if (error.status === 429) return "rate_limited";
    if (error.status === 401) return "auth";
    if (error.status >= 500) return "server_error";
    return "refused";
  }
  if (error instanceof HTTPError) return error.status >= 500 ? "server_error" : "refused";
  return transportReason(error) ?? "other";
}

/** Runs one Discord call; a failure is rethrown as a PlatformCallError naming the call. */
export async function discordCall<T>(call: PlatformCall, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof PlatformCallError ? error : new PlatformCallError("discord", call, discordReason(error), error);
  }
}

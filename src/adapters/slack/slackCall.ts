// Every Slack call a listener makes goes through slackCall, so its failure arrives at the listener's
// edge tagged with what the call was and why it failed (see docs/failures.md).
import { type FailureReason, type PlatformCall, PlatformCallError, transportReason } from "../platformFailures.js";

/** Web API `error` codes that mean the token no longer works for this workspace. */
const AUTH_ERRORS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "team_access_not_granted"]);
/** ...and that the thing to answer through is gone. */
const GONE_ERRORS = new Set(["expired_trigger_id", "expired_url", "used_url"]);

interface SlackishError {
  code?: string;
  statusCode?: number;
  data?: { error?: string };
  original?: unknown;
}

export function slackReason(error: unknown): FailureReason {
  const e = (error ?? {}) as SlackishError;
  switch (e.code) {
    case "slack_webapi_rate_limited_error":
      return "rate_limited";
    case "slack_webapi_platform_error": {
      const code = e.data?.error ?? "";
      if (code === "ratelimited") return "rate_limited";
      if (AUTH_ERRORS.has(code)) return "auth";
      return GONE_ERRORS.has(code) ? "gone" : "refused";
    }
    case "slack_webapi_http_error":
      return (e.statusCode ?? 0) >= 500 ? "server_error" : "refused";
    case "slack_webapi_request_error":
      return transportReason(e.original) ?? "network";
    // Bolt's respond(): a response_url answers 404 once it has expired (30 minutes) or been used 5 times.
    case "slack_bolt_respond_error":
      if (e.statusCode === 404 || e.statusCode === 410) return "gone";
      if (e.statusCode === 429) return "rate_limited";
      return (e.statusCode ?? 0) >= 500 ? "server_error" : "refused";
  }
  return transportReason(error) ?? "other";
}

/** The Web API's own error code (channel_not_found, …), for logs. */
export function slackErrorCode(error: unknown): string | undefined {
  const e = (error ?? {}) as SlackishError;
  return e.data?.error ?? (e.statusCode ? String(e.statusCode) : undefined);
}

/** Runs one Slack call; a failure is rethrown as a PlatformCallError naming the call. */
export async function slackCall<T>(call: PlatformCall, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof PlatformCallError ? error : new PlatformCallError("slack", call, slackReason(error), error);
  }
}

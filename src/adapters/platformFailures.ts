// Counts the Slack and Discord calls that failed and were handled (logged, the user told if they
// still can be), by platform, kind of call and reason. A later /metrics endpoint reads snapshot();
// tests wait on onRecord() instead of sleeping. See docs/failures.md for what each failure does.

export type FailurePlatform = "slack" | "discord";

/** What the bot was doing when the platform failed. */
export type PlatformCall =
  | "deferral"
  | "reply"
  | "edit"
  | "follow_up"
  | "delete"
  | "modal"
  | "autocomplete"
  | "message_edit"
  | "upload"
  | "response_url"
  | "post"
  | "home"
  | "unfurl"
  | "dm";

export type FailureReason =
  /** The interaction or response_url is gone (Discord 10062/10015/40060, Slack expired_url): nothing more can be said through it. */
  | "gone"
  | "rate_limited"
  /** A 4xx or `ok: false` that is not one of the others (channel_not_found, not_in_channel, missing permissions…). */
  | "refused"
  | "auth"
  | "server_error"
  | "timeout"
  /** The connection dropped or could not be made. */
  | "network"
  /** The platform answered something that is not what its API promises (e.g. truncated JSON). */
  | "malformed"
  | "other";

export interface PlatformFailure {
  platform: FailurePlatform;
  call: PlatformCall;
  reason: FailureReason;
}

export class PlatformFailures {
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<(failure: PlatformFailure) => void>();

  record(failure: PlatformFailure): void {
    const key = `${failure.platform}|${failure.call}|${failure.reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    for (const listener of this.listeners) listener(failure);
  }

  /** How many failures match every field given. */
  count(filter: Partial<PlatformFailure> = {}): number {
    let total = 0;
    for (const entry of this.snapshot()) {
      const { count, ...failure } = entry;
      if ((Object.keys(filter) as Array<keyof PlatformFailure>).every((k) => filter[k] === failure[k])) total += count;
    }
    return total;
  }

  snapshot(): Array<PlatformFailure & { count: number }> {
    return [...this.counts].map(([key, count]) => {
      const [platform, call, reason] = key.split("|") as [FailurePlatform, PlatformCall, FailureReason];
      return { platform, call, reason, count };
    });
  }

  /** Calls `listener` for every failure recorded from now on; returns the unsubscribe function. */
  onRecord(listener: (failure: PlatformFailure) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The process's registry, for the adapters that are not handed one. */
export const platformFailures = new PlatformFailures();

/** A platform call that failed, tagged with what the call was; `cause` is the client's own error. */
export class PlatformCallError extends Error {
  override name = "PlatformCallError";
  constructor(
    readonly platform: FailurePlatform,
    readonly call: PlatformCall,
    readonly reason: FailureReason,
    override readonly cause: unknown,
  ) {
    super(`${platform} ${call} failed (${reason}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Transport-level reasons shared by both platforms' clients (undici, fetch, AbortSignal). */
export function transportReason(error: unknown): FailureReason | undefined {
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown } | null;
  if (!e || typeof e !== "object") return undefined;
  if (e.name === "AbortError" || e.name === "TimeoutError") return "timeout";
  if (e.name === "SyntaxError") return "malformed";
  const code = e.code ?? "";
  if (/^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_CONNECT_TIMEOUT)$/.test(code)) {
    return code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" ? "timeout" : "network";
  }
  if (e.name === "TypeError" && e.message === "fetch failed") return transportReason(e.cause) ?? "network";
  if (e.cause && e.cause !== error) return transportReason(e.cause);
  return undefined;
}

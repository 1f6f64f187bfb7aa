// What the core reports about the commands it answers, as a port: main.ts plugs in the Prometheus
// implementation (src/metrics), tests and the console may leave it out. Labels stay bounded:
// platform, command name and outcome, never who asked or what they typed.
import type { Platform } from "./context.js";
import type { Response } from "./reply.js";

/** ok: an answer; not_found: nobody or nothing matched; refused: invalid input or not allowed; error: a bug or outage (the apology). */
export type ReplyOutcome = "ok" | "not_found" | "refused" | "error";

export interface CommandAnswered {
  platform: Platform;
  /** A command name from the router's table, "action" for a button press, "unknown" otherwise. */
  command: string;
  outcome: ReplyOutcome;
  seconds: number;
}

/** Why a command was answered "Peerlink is busy" instead of being started (core/CommandLimiter.ts). */
export type ShedReason = "queue_full" | "wait_too_long";

export interface CommandShed {
  platform: Platform;
  reason: ShedReason;
}

export interface CommandMetrics {
  commandAnswered(event: CommandAnswered): void;
  /** A command not started because the process was busy; the user got the busy reply. */
  commandShed?(event: CommandShed): void;
}

/** One ingest cycle: what it asked the scholarly source and what it wrote. */
export interface IngestCycle {
  requests: { singleton: number; list: number; search: number };
  spendUsd: number;
  deliveriesCreated: number;
}

export interface IngestMetrics {
  ingestCycle(cycle: IngestCycle): void;
}

export const noCommandMetrics: CommandMetrics = { commandAnswered: () => {}, commandShed: () => {} };

/**
 * How a reply reads to the person who asked. Notices carry their meaning in their level: "warning"
 * is what the core says when nothing matched (or it guessed what was meant), "error" a refusal,
 * and an error with a reference id is the apology for a failure.
 */
export function outcomeOf(response: Response): ReplyOutcome {
  const reply = response.reply;
  if (reply.kind !== "notice") return "ok";
  if (reply.ref) return "error";
  if (reply.level === "warning") return "not_found";
  if (reply.level === "error") return "refused";
  return "ok";
}

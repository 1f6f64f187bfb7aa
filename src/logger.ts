import { pino, type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stderr (stdout stays free for the console adapter's replies). */
export function createLogger(level = "info"): Logger {
  return pino({ level, base: { app: "peerlink" } }, pino.destination(2));
}

// Bolt's Logger interface over pino, so Bolt's own messages land in the same structured log.
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../logger.js";

const toText = (msg: unknown[]) => msg.map((m) => (typeof m === "string" ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(" ");

export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  let name = "bolt";
  return {
    debug: (...msg) => log.debug({ component: name }, toText(msg)),
    info: (...msg) => log.info({ component: name }, toText(msg)),
    warn: (...msg) => log.warn({ component: name }, toText(msg)),
    error: (...msg) => log.error({ component: name, err: msg.find((m) => m instanceof Error) }, toText(msg)),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: (n) => void (name = n),
  };
}

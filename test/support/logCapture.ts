// A real pino logger whose JSON lines are kept in memory, so specs can wait for a log line (an
// event, not a sleep) and check what was logged and how often.
import { EventEmitter } from "node:events";
import { pino } from "pino";
import { createLogger, type Logger } from "../../src/logger.js";

export type LogLine = Record<string, any> & { level: number; msg: string };

export interface LogCapture {
  logger: Logger;
  lines: LogLine[];
  /** Resolves with the first line (past or future) that matches. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

/** `production`: the logger src/main.ts makes (redaction, correlation ids) instead of a bare pino. */
export function captureLogs(level = "info", { production = false } = {}): LogCapture {
  const lines: LogLine[] = [];
  const events = new EventEmitter();
  const destination = {
    write(text: string) {
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      events.emit("line", line);
    },
  };
  const logger = production ? createLogger(level, destination) : pino({ level, base: null }, destination);
  return {
    logger,
    lines,
    waitFor(match, timeoutMs = 10_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const onLine = (line: LogLine) => {
          if (!match(line)) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error("expected log line did not arrive"));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          events.off("line", onLine);
        };
        events.on("line", onLine);
      });
    },
  };
}

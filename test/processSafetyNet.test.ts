// The process-level net in front of Node's default (which ends the process on an unhandled
// rejection): what reaches it is logged with context; only an uncaught exception shuts down.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { installProcessSafetyNet } from "../src/processSafetyNet.js";
import { captureLogs } from "./support/logCapture.js";

describe("process safety net", () => {
  it("logs an unhandled rejection with its error and keeps running", () => {
    const events = new EventEmitter();
    const logs = captureLogs("info");
    const fatal: Error[] = [];
    const net = installProcessSafetyNet(logs.logger, (e) => fatal.push(e), events);
    const refused = Object.assign(new Error("Unknown interaction"), { code: 10062 });
    events.emit("unhandledRejection", refused, Promise.resolve());
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatchObject({ level: 50, kind: "unhandledRejection", err: { message: "Unknown interaction", code: 10062 } });
    expect(logs.lines[0]!.msg).toMatch(/neither awaited nor caught/);
    expect(net.counts).toEqual({ unhandledRejections: 1, uncaughtExceptions: 0 });
    expect(fatal).toEqual([]);
    net.remove();
    expect(events.listenerCount("unhandledRejection")).toBe(0);
  });

  it("logs an uncaught exception as fatal and asks once for a clean shutdown", () => {
    const events = new EventEmitter();
    const logs = captureLogs("info");
    const fatal: Error[] = [];
    const net = installProcessSafetyNet(logs.logger, (e) => fatal.push(e), events);
    const boom = new TypeError("cannot read properties of undefined");
    events.emit("uncaughtException", boom, "uncaughtException");
    events.emit("uncaughtException", new Error("while stopping"), "uncaughtException");
    expect(logs.lines.map((l) => [l.level, l.kind, l.origin])).toEqual([
      [60, "uncaughtException", "uncaughtException"],
      [60, "uncaughtException", "uncaughtException"],
    ]);
    expect(fatal).toEqual([boom]);
    expect(net.counts.uncaughtExceptions).toBe(2);
    net.remove();
  });
});

// The last line of defence. A promise rejection nobody handled, or an exception nobody caught, is a
// bug (every platform and database call handles its own failure where it is made; the specs assert
// that none reaches here). Both are logged with what Node knows about them. An unhandled rejection
// loses only the work of the promise that failed, so the process keeps serving everyone else; after
// an uncaught exception Node's state cannot be trusted (its own documentation says so), so the
// process shuts down cleanly and the supervisor starts a fresh one.

interface SafetyNetLog {
  error(details: object, message: string): void;
  fatal(details: object, message: string): void;
}

/** The part of `process` the net listens on (tests pass an EventEmitter). */
export interface ProcessEvents {
  on(event: "unhandledRejection", listener: (reason: unknown, promise: Promise<unknown>) => void): unknown;
  on(event: "uncaughtException", listener: (error: Error, origin: string) => void): unknown;
  off(event: "unhandledRejection", listener: (reason: unknown, promise: Promise<unknown>) => void): unknown;
  off(event: "uncaughtException", listener: (error: Error, origin: string) => void): unknown;
}

export interface SafetyNetCounts {
  unhandledRejections: number;
  uncaughtExceptions: number;
}

/**
 * Installs the handlers; `onFatal` is called once, after an uncaught exception, to shut down.
 * Returns the counts (for /metrics) and a function that removes the handlers.
 */
export function installProcessSafetyNet(
  log: SafetyNetLog,
  onFatal: (error: Error) => void,
  target: ProcessEvents = process,
): { counts: SafetyNetCounts; remove(): void } {
  const counts: SafetyNetCounts = { unhandledRejections: 0, uncaughtExceptions: 0 };
  let fatal = false;
  const onRejection = (reason: unknown) => {
    counts.unhandledRejections++;
    log.error(
      { err: reason, kind: "unhandledRejection", count: counts.unhandledRejections },
      "unhandled promise rejection: a call was neither awaited nor caught (a bug)",
    );
  };
  const onException = (error: Error, origin: string) => {
    counts.uncaughtExceptions++;
    log.fatal({ err: error, kind: "uncaughtException", origin }, "uncaught exception: shutting down");
    if (fatal) return;
    fatal = true;
    onFatal(error);
  };
  target.on("unhandledRejection", onRejection);
  target.on("uncaughtException", onException);
  return {
    counts,
    remove() {
      target.off("unhandledRejection", onRejection);
      target.off("uncaughtException", onException);
    },
  };
}

// Records every promise rejection nobody handled (and every uncaught exception) while a spec runs:
// in production either one is a bug that could end the process, so specs assert there were none.
export interface UnhandledWatch {
  readonly seen: unknown[];
  /** Lets Node report rejections left unhandled by what already ran, then returns what it saw. */
  settle(): Promise<unknown[]>;
  stop(): void;
}

/** Node reports an unhandled rejection once the microtask queue drains; a few macrotask turns cover it. */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

export function watchUnhandled(): UnhandledWatch {
  const seen: unknown[] = [];
  const record = (reason: unknown) => void seen.push(reason);
  process.on("unhandledRejection", record);
  // The monitor variant only observes: vitest's own handler still fails the run.
  process.on("uncaughtExceptionMonitor", record);
  return {
    seen,
    async settle() {
      await turns(3);
      return [...seen];
    },
    stop() {
      process.off("unhandledRejection", record);
      process.off("uncaughtExceptionMonitor", record);
    },
  };
}

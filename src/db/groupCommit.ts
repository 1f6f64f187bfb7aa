import DataLoader from "dataloader";

export interface GroupCommitOptions {
  /** Most inputs in one statement (default 64). */
  maxBatchSize?: number;
  /**
   * Under load, leave this long between one statement and the next (default 0), so more calls
   * gather into each: fewer, larger statements for writes that nobody is waiting on to go on.
   * A call made while the database is idle still goes out at once.
   */
  pauseMs?: number;
}

/**
 * Runs one SQL statement for many concurrent callers: "group commit". A call made while the
 * database is idle goes out at once (after the current tick, with whatever else arrived in it).
 * Calls made while a statement is running wait for it and then go out together as the next one.
 * Under load the batches grow by themselves, with no added latency when quiet (and, unless
 * `pauseMs` is set, no timer).
 *
 * `run` gets the inputs in call order and returns one result (or Error) per input, in that order.
 * Built on DataLoader with its cache off: every call is a new request, even for the same input.
 */
export function groupCommit<I, O>(run: (inputs: readonly I[]) => Promise<ReadonlyArray<O | Error>>, options: GroupCommitOptions = {}) {
  const { maxBatchSize = 64, pauseMs = 0 } = options;
  let running = 0;
  let paused = false;
  let waiting: Array<() => void> = [];
  const dispatchWaiting = () => {
    const next = waiting;
    waiting = [];
    for (const dispatch of next) dispatch();
  };
  const loader = new DataLoader<I, O>(
    async (inputs) => {
      running++;
      let results: ReadonlyArray<O | Error>;
      try {
        results = await run(inputs);
      } finally {
        running--;
        if (running === 0 && waiting.length) {
          if (pauseMs > 0) {
            paused = true;
            setTimeout(() => {
              paused = false;
              dispatchWaiting();
            }, pauseMs);
          } else dispatchWaiting();
        }
      }
      // The next statement goes out first: handing out these results runs every caller's next steps,
      // and the pool only checks a connection out on the next tick, after all of them.
      await new Promise((resolve) => process.nextTick(resolve));
      return results;
    },
    {
      cache: false,
      maxBatchSize,
      batchScheduleFn: (dispatch) => {
        if (running === 0 && !paused) setImmediate(dispatch);
        else waiting.push(dispatch);
      },
    },
  );
  return (input: I): Promise<O> => loader.load(input);
}

// Bolt verifies a request's signature and refuses one older than 5 minutes, but keeps no record of
// what it has seen: the same signed request sent again inside those 5 minutes would run again (a
// second link code, for one). The signature names one request exactly (an HMAC over its timestamp
// and body), so remembering each for longer than Bolt's window, in Redis where every process of a
// fleet sees it, lets a repeat be acknowledged and dropped.
import type { Redis } from "ioredis";

export interface ReplayGuard {
  /** True the first time this signature is offered; false for a repeat. */
  firstTime(signature: string): Promise<boolean>;
}

/** Longer than Bolt's 5 minutes either side of the timestamp. */
const REMEMBER_MS = 11 * 60_000;
/** Redis slower than this (or down) lets the request through: Slack must be answered within 3 s. */
const REDIS_DEADLINE_MS = 250;

export class RedisReplayGuard implements ReplayGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  async firstTime(signature: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), REDIS_DEADLINE_MS)));
    try {
      const set = this.redis.set(`${this.prefix}:slack-request:${signature}`, "1", "PX", REMEMBER_MS, "NX");
      const answer = await Promise.race([set, deadline]);
      if (answer === "late") {
        set.catch(() => {});
        throw new Error(`Redis did not answer within ${REDIS_DEADLINE_MS} ms`);
      }
      return answer === "OK";
    } catch (err) {
      // Without Redis, commands keep working; only the replay check is off until it is back.
      this.onError(err);
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}

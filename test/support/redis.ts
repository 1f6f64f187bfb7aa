// Redis is shared by every test file (and whatever else runs on the machine): each file's queues
// live under its own key prefix, and only those keys are ever deleted.
import { Redis } from "ioredis";

/** Deletes every key under `prefix`; returns how many there were. */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  let cursor = "0";
  let deleted = 0;
  try {
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
  return deleted;
}

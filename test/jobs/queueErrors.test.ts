// Redis down must not spill raw stack traces onto stderr: BullMQ prints an "error" event nobody
// listens to with console.error, so every queue Peerlink makes has a listener.
import { createServer } from "node:net";
import type { Queue } from "bullmq";
import { afterEach, expect, it, vi } from "vitest";
import { ImportProducer } from "../../src/jobs/import/producer.js";
import { InvitationProducer } from "../../src/jobs/invitations/producer.js";
import { DeliveryProducer } from "../../src/jobs/notifications/producer.js";

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once the queue has emitted its first "error", without adding a listener of our own. */
function firstError(queue: Queue): Promise<void> {
  return new Promise((resolve) => {
    const emit = queue.emit.bind(queue);
    vi.spyOn(queue, "emit").mockImplementation((event: string | symbol, ...args: unknown[]) => {
      const handled = (emit as (e: string | symbol, ...a: unknown[]) => boolean)(event, ...args);
      if (event === "error") resolve();
      return handled;
    });
  });
}

const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close().catch(() => {});
  vi.restoreAllMocks();
});

it("keeps every producer's queue quiet on stderr while Redis refuses connections", async () => {
  const settings = { redisUrl: `redis://127.0.0.1:${await closedPort()}`, prefix: "peerlink-test-queue-errors" };
  const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
  const invitations = new InvitationProducer(settings);
  const imports = new ImportProducer(settings);
  const deliveries = new DeliveryProducer(settings);
  const queues = [invitations.queue, imports.queue, ...Object.values(deliveries.queues)];
  const errors = queues.map(firstError);
  closing.push(
    () => invitations.close(),
    () => imports.close(),
    () => deliveries.close(),
  );
  await Promise.all(errors);
  for (const queue of queues) expect(queue.listenerCount("error")).toBeGreaterThan(0);
  expect(stderr).not.toHaveBeenCalled();
});

// Counts every outbound message (invitations, notifications, digests, claim notices) where it
// leaves: sent, failed for good, or failed in a way the job queue retries (a 429 included).
import { type Messenger, type Messengers, PermanentDeliveryError } from "../core/ports.js";
import type { Platform } from "../core/context.js";

export type DeliveryOutcome = "sent" | "failed" | "retried";

export interface DeliveryMetrics {
  delivery(platform: Platform, outcome: DeliveryOutcome): void;
}

/** Wraps each messenger in place, so everything that already holds `messengers` is counted. */
export function meterMessengers(messengers: Messengers, metrics: DeliveryMetrics): void {
  for (const platform of Object.keys(messengers) as Platform[]) {
    const inner = messengers[platform];
    if (inner) messengers[platform] = metered(platform, inner, metrics);
  }
}

/** The same messenger with `send` counted; everything else it offers passes straight through. */
function metered(platform: Platform, inner: Messenger, metrics: DeliveryMetrics): Messenger {
  const send: Messenger["send"] = async (to, reply) => {
    try {
      const sent = await inner.send(to, reply);
      metrics.delivery(platform, "sent");
      return sent;
    } catch (error) {
      metrics.delivery(platform, error instanceof PermanentDeliveryError ? "failed" : "retried");
      throw error;
    }
  };
  return new Proxy(inner, {
    get(target, property) {
      if (property === "send") return send;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

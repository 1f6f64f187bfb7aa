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

function metered(platform: Platform, inner: Messenger, metrics: DeliveryMetrics): Messenger {
  const messenger: Messenger = {
    async send(to, reply) {
      try {
        const sent = await inner.send(to, reply);
        metrics.delivery(platform, "sent");
        return sent;
      } catch (error) {
        metrics.delivery(platform, error instanceof PermanentDeliveryError ? "failed" : "retried");
        throw error;
      }
    },
  };
  if (inner.openConversation) messenger.openConversation = inner.openConversation.bind(inner);
  return messenger;
}

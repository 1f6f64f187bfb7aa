// Changing what Peerlink already sent ("living messages"): one helper, so every caller treats a
// messenger without edits, a message gone meanwhile and a platform failure alike.
import type { ErrorLog, MessageAddress, Messengers } from "../ports.js";
import { PermanentDeliveryError } from "../ports.js";
import type { Reply } from "../reply.js";

export type EditOutcome = "edited" | "gone" | "unsupported" | "failed";

/**
 * Replaces the message at `at` with `reply`. Never throws: the change that made the edit worth
 * doing is already committed, and a message that keeps its old look is no reason to undo it.
 */
export async function editMessage(messengers: Messengers, log: ErrorLog, at: MessageAddress, reply: Reply): Promise<EditOutcome> {
  const messenger = messengers[at.platform];
  if (!messenger?.edit) return "unsupported";
  try {
    await messenger.edit(at, reply);
    return "edited";
  } catch (err) {
    if (err instanceof PermanentDeliveryError) return "gone";
    log.error({ err, platform: at.platform, messageRef: at.messageRef }, "could not edit a message Peerlink sent");
    return "failed";
  }
}

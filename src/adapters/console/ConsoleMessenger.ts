// The console as a messenger: what the core sends to local users is kept in their inbox (Postgres)
// and shown in the running shell, so every flow Slack and Discord complete completes here too.
import type { InboxEntry, InboxService } from "../../core/inbox/InboxService.js";
import { type Destination, type MessageAddress, type Messenger, PermanentDeliveryError, type SentMessage } from "../../core/ports.js";
import type { Reply } from "../../core/reply.js";

export type ArrivalListener = (entry: InboxEntry) => void;

export class ConsoleMessenger implements Messenger {
  private readonly listeners = new Set<ArrivalListener>();

  constructor(private readonly inbox: InboxService) {}

  async send(to: Destination, reply: Reply): Promise<SentMessage> {
    if (to.platform !== "console" || !(to.userId || to.channelId)) {
      throw new PermanentDeliveryError(`the console cannot deliver to ${to.platform} ${to.userId ?? to.channelId ?? "nobody"}`);
    }
    const entry = await this.inbox.store(to, reply);
    for (const listener of this.listeners) listener(entry);
    return { messageRef: `console:${entry.id}` };
  }

  /** Replaces a kept message ("console:<id>"): the inbox shows its new form from now on. */
  async edit(message: MessageAddress, reply: Reply): Promise<void> {
    const id = /^console:(\d+)$/.exec(message.messageRef)?.[1];
    if (message.platform !== "console" || !id || !(await this.inbox.replace(id, reply))) {
      throw new PermanentDeliveryError(`no console message ${message.messageRef}`);
    }
  }

  /** Calls `listener` with every message sent from now on; returns a function that stops it. */
  onArrival(listener: ArrivalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

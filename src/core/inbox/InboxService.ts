import type { Db, Prisma } from "../../db/client.js";
import type { Clock } from "../context.js";
import type { Destination } from "../ports.js";
import type { Action, Reply } from "../reply.js";

/** One message kept for a console user: a direct message (userId) or a post in a channel (channelId). */
export interface InboxEntry {
  id: string;
  tenantId: string;
  userId: string | null;
  channelId: string | null;
  reply: Reply;
  createdAt: Date;
}

/** Who reads an inbox: a local user, and the channel they are in (claim reviews are posted there). */
export interface InboxReader {
  tenantId: string;
  userId: string;
  channelId?: string;
}

/**
 * The console's mailbox. The console has no chat server to hold messages, so what its messenger
 * sends is kept here, in Postgres: a one-shot run can read what an earlier one delivered.
 */
export class InboxService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async store(to: Destination, reply: Reply): Promise<InboxEntry> {
    const row = await this.db.consoleMessage.create({
      data: {
        tenantId: to.tenantId,
        userId: to.userId ?? null,
        // A DM sent into a known DM channel is still a DM: only channel posts keep their channel.
        channelId: to.userId ? null : (to.channelId ?? null),
        reply: reply as unknown as Prisma.InputJsonValue,
        createdAt: this.clock.now(),
      },
    });
    return entry(row);
  }

  /** The reader's messages and their channel's posts, newest first. */
  async list(reader: InboxReader, { skip = 0, take = 10 } = {}): Promise<{ entries: InboxEntry[]; total: number }> {
    const where = this.readable(reader);
    const [rows, total] = await Promise.all([
      this.db.consoleMessage.findMany({ where, orderBy: { id: "desc" }, skip, take }),
      this.db.consoleMessage.count({ where }),
    ]);
    return { entries: rows.map(entry), total };
  }

  /**
   * A button on a kept message was answered: every copy the reader can see that carries the same
   * button now shows `answered` instead (as Slack and Discord edit the message in place).
   */
  async answered(reader: InboxReader, action: Pick<Action, "id" | "value">, answered: Reply): Promise<number> {
    // channel_id = NULL matches nothing: without a channel only the reader's DMs change.
    return this.db.$executeRaw`
      UPDATE console_message SET reply = ${JSON.stringify(answered)}::jsonb
      WHERE tenant_id = ${reader.tenantId}
        AND (user_id = ${reader.userId} OR channel_id = ${reader.channelId ?? null})
        AND jsonb_path_exists(reply, '$.**.actions[*] ? (@.id == $id && @.value == $value)',
                              jsonb_build_object('id', ${action.id}::text, 'value', ${action.value}::text))`;
  }

  /** The kept message `id` shows `reply` from now on (the console's message edit); false when there is none. */
  async replace(id: string, reply: Reply): Promise<boolean> {
    const { count } = await this.db.consoleMessage.updateMany({
      where: { id: BigInt(id) },
      data: { reply: reply as unknown as Prisma.InputJsonValue },
    });
    return count === 1;
  }

  private readable(reader: InboxReader): Prisma.ConsoleMessageWhereInput {
    return {
      tenantId: reader.tenantId,
      OR: [{ userId: reader.userId }, ...(reader.channelId ? [{ channelId: reader.channelId }] : [])],
    };
  }
}

function entry(row: { id: bigint; tenantId: string; userId: string | null; channelId: string | null; reply: unknown; createdAt: Date }): InboxEntry {
  return {
    id: String(row.id),
    tenantId: row.tenantId,
    userId: row.userId,
    channelId: row.channelId,
    reply: row.reply as Reply,
    createdAt: row.createdAt,
  };
}

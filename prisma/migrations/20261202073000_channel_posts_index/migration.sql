-- Channel posts that may have a thread: the paper-news check reads them by sent_at (the last 90 days)
-- and the news insert by work_id. A partial index keeps follower DMs, by far the most rows, out of it.
CREATE INDEX "notification_delivery_channel_posts" ON "notification_delivery" ("sent_at", "work_id")
  WHERE "account_id" IS NULL AND "message_ref" IS NOT NULL;

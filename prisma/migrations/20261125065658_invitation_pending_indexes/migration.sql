-- Moving an invitation from queued to delivered should change no indexed column, so that the
-- update is heap-only (HOT): Postgres then writes no index entries for it, and the new row version
-- goes into the free space left on the page. Postgres skips HOT when any indexed column changes,
-- including a column in a partial index's WHERE clause, so status leaves every index:
--   - "pending" (queued or delivered) is generated from status and does not change on that step.
--     The indexes that only care about open invitations use it.
--   - received invitations are listed by recipient and date, like sent ones by sender and date.
-- Hand-edited: schema.prisma cannot express a generated column or a partial index.

ALTER TABLE "invitation" ADD COLUMN "pending" BOOLEAN NOT NULL
  GENERATED ALWAYS AS ("status" IN ('queued', 'delivered')) STORED;

-- At most one pending invitation from a sender to a researcher (was: WHERE status IN (...)).
DROP INDEX "invitation_one_pending_per_sender";
CREATE UNIQUE INDEX "invitation_one_pending_per_sender"
  ON "invitation" ("sender_account_id", "researcher_id") WHERE "pending";

-- Expiry and the reconciler look for open invitations by expiry time.
DROP INDEX "invitation_status_expires_at_idx";
CREATE INDEX "invitation_pending_expires_at_idx" ON "invitation" ("expires_at") WHERE "pending";

DROP INDEX "invitation_recipient_account_id_status_idx";
CREATE INDEX "invitation_recipient_account_id_created_at_idx" ON "invitation"("recipient_account_id", "created_at");

DROP INDEX "invitation_researcher_id_status_idx";
CREATE INDEX "invitation_researcher_id_idx" ON "invitation"("researcher_id");

-- Each invitation is updated a few times in its life (leased, delivered, answered): half of each
-- page stays free for those row versions, so they stay on the page and heap-only.
ALTER TABLE "invitation" SET (fillfactor = 50);

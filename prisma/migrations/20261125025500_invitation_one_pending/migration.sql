-- At most one pending (queued or delivered) invitation from a sender to a researcher.
-- A partial unique index cannot be expressed in schema.prisma, so it lives here as raw SQL, and the
-- schema snapshot in this folder is the previous one, unchanged.
CREATE UNIQUE INDEX "invitation_one_pending_per_sender"
  ON "invitation" ("sender_account_id", "researcher_id")
  WHERE "status" IN ('queued', 'delivered');

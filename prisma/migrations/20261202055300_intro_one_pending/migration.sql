-- An intro request is an invitation row with intro_target_id set: the same sender may have one
-- pending collaboration invitation to a member and one pending intro request through that member
-- per target, but never two of the same. Hand-written: schema.prisma cannot express an expression
-- in a partial unique index.
DROP INDEX "invitation_one_pending_per_sender";
CREATE UNIQUE INDEX "invitation_one_pending_per_sender"
  ON "invitation" ("sender_account_id", "researcher_id", (coalesce("intro_target_id", 0))) WHERE "pending";

-- Withdrawing a member's pending intro requests when they leave the intro list.
CREATE INDEX "invitation_pending_intro_recipient_idx"
  ON "invitation" ("recipient_account_id") WHERE "pending" AND "intro_target_id" IS NOT NULL;

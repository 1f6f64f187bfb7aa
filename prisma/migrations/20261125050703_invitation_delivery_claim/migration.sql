-- Invitation delivery becomes claim, send, stamp: the row is written before the platform call
-- (claimed_at) and sent_at is set after it, so no Postgres transaction stays open during the call.

-- AlterTable
ALTER TABLE "invitation_delivery" ADD COLUMN     "claimed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "sent_at" DROP NOT NULL,
ALTER COLUMN "sent_at" DROP DEFAULT;

-- Rows written before this migration were all sent: their claim is their send.
UPDATE "invitation_delivery" SET "claimed_at" = "sent_at";

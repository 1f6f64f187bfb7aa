-- The delivery claim moves from one invitation_delivery row per identity to a lease on the
-- invitation itself, taken in the statement that reads what the delivery needs. Updating a column no
-- index covers is a heap-only (HOT) update: no index entry, no foreign-key check, and one statement
-- instead of two. invitation_delivery now only records DMs that were sent.

-- AlterTable
ALTER TABLE "invitation" ADD COLUMN     "delivery_lease_until" TIMESTAMP(3);

-- A claim in flight while this runs (claimed, not yet sent) becomes a lease of the same length
-- (two minutes, the default), so the DM being sent is not sent a second time by another worker.
UPDATE "invitation" i SET "delivery_lease_until" = d.claimed_at + interval '2 minutes'
FROM (SELECT invitation_id, max(claimed_at) AS claimed_at FROM "invitation_delivery" WHERE sent_at IS NULL GROUP BY invitation_id) d
WHERE i.id = d.invitation_id;
DELETE FROM "invitation_delivery" WHERE sent_at IS NULL;

-- AlterTable
ALTER TABLE "invitation_delivery" DROP COLUMN "claimed_at",
ALTER COLUMN "sent_at" SET NOT NULL,
ALTER COLUMN "sent_at" SET DEFAULT CURRENT_TIMESTAMP;

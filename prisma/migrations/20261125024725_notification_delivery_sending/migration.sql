-- AlterEnum
ALTER TYPE "DeliveryStatus" ADD VALUE 'sending';

-- AlterTable
ALTER TABLE "notification_delivery" ADD COLUMN     "claimed_at" TIMESTAMP(3);


-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('topic', 'institution', 'search', 'citations');

-- CreateEnum
CREATE TYPE "AlertFrequency" AS ENUM ('instant', 'daily', 'weekly', 'monthly');

-- AlterTable
ALTER TABLE "follow" ADD COLUMN     "filters" JSONB,
ADD COLUMN     "frequency" "AlertFrequency";

-- AlterTable
ALTER TABLE "channel_subscription" ADD COLUMN     "filters" JSONB;

-- AlterTable
ALTER TABLE "notification_delivery" ADD COLUMN     "cadence" "AlertFrequency",
ADD COLUMN     "reasons" JSONB;

-- CreateTable
CREATE TABLE "alert_target" (
    "id" SERIAL NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "researcher_id" INTEGER,
    "works_checked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" SERIAL NOT NULL,
    "recipient_key" TEXT NOT NULL,
    "account_id" INTEGER,
    "target_id" INTEGER NOT NULL,
    "filters" JSONB,
    "frequency" "AlertFrequency",
    "muted" BOOLEAN NOT NULL DEFAULT false,
    "created_by_identity_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback_mute" (
    "id" SERIAL NOT NULL,
    "recipient_key" TEXT NOT NULL,
    "reason_key" TEXT NOT NULL,
    "venue" TEXT,
    "researcher_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "feedback_mute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "saved_work" (
    "account_id" INTEGER NOT NULL,
    "work_id" INTEGER NOT NULL,
    "saved_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "saved_work_pkey" PRIMARY KEY ("account_id","work_id")
);

-- CreateTable
CREATE TABLE "missed_summary" (
    "account_id" INTEGER NOT NULL,
    "week_start" DATE NOT NULL,
    "works" INTEGER NOT NULL,
    "sent_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "missed_summary_pkey" PRIMARY KEY ("account_id","week_start")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_target_kind_key_key" ON "alert_target"("kind", "key");

-- CreateIndex
CREATE INDEX "alert_target_id_idx" ON "alert"("target_id");

-- CreateIndex
CREATE INDEX "alert_account_id_idx" ON "alert"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_recipient_key_target_id_key" ON "alert"("recipient_key", "target_id");

-- CreateIndex
CREATE INDEX "feedback_mute_recipient_key_reason_key_idx" ON "feedback_mute"("recipient_key", "reason_key");

-- CreateIndex
CREATE INDEX "saved_work_account_id_saved_at_idx" ON "saved_work"("account_id", "saved_at");

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "alert_target"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "saved_work" ADD CONSTRAINT "saved_work_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "saved_work" ADD CONSTRAINT "saved_work_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- AlterTable
ALTER TABLE "work" ADD COLUMN     "cited_by_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "is_retracted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "news_checked_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "account" ADD COLUMN     "mention_in_channels" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "notification_delivery" ADD COLUMN     "message_ref" TEXT;

-- CreateTable
CREATE TABLE "paper_news" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" BIGINT NOT NULL,
    "news_key" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "claimed_at" TIMESTAMP(3),
    "sent_at" TIMESTAMP(3),
    "message_ref" TEXT,

    CONSTRAINT "paper_news_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_setting" (
    "platform" "Platform" NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "thread_replies_in_channel" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "channel_setting_pkey" PRIMARY KEY ("platform","tenant_id","channel_id")
);

-- CreateIndex
CREATE INDEX "paper_news_status_idx" ON "paper_news"("status");

-- CreateIndex
CREATE UNIQUE INDEX "paper_news_delivery_id_news_key_key" ON "paper_news"("delivery_id", "news_key");

-- AddForeignKey
ALTER TABLE "paper_news" ADD CONSTRAINT "paper_news_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "notification_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;


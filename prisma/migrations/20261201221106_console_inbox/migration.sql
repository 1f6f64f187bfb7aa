-- CreateTable
CREATE TABLE "console_message" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT,
    "channel_id" TEXT,
    "reply" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "console_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "console_message_tenant_id_user_id_id_idx" ON "console_message"("tenant_id", "user_id", "id");

-- CreateIndex
CREATE INDEX "console_message_tenant_id_channel_id_id_idx" ON "console_message"("tenant_id", "channel_id", "id");


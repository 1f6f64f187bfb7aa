-- CreateTable
CREATE TABLE "posted_message" (
    "id" BIGSERIAL NOT NULL,
    "subject" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "message_ref" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "posted_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reminder" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "occurrence" TEXT NOT NULL DEFAULT '',
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "claimed_at" TIMESTAMP(3),
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "reminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "posted_message_subject_idx" ON "posted_message"("subject");

-- CreateIndex
CREATE UNIQUE INDEX "posted_message_platform_tenant_id_message_ref_key" ON "posted_message"("platform", "tenant_id", "message_ref");

-- CreateIndex
CREATE INDEX "reminder_status_created_at_idx" ON "reminder"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "reminder_kind_subject_occurrence_key" ON "reminder"("kind", "subject", "occurrence");


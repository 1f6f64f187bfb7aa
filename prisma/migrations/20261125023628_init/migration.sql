-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('slack', 'discord', 'console');

-- CreateEnum
CREATE TYPE "DigestMode" AS ENUM ('instant', 'daily', 'weekly');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('pending', 'verified', 'rejected', 'disputed', 'released', 'revoked');

-- CreateEnum
CREATE TYPE "ClaimMethod" AS ENUM ('orcid', 'admin_review', 'institution');

-- CreateEnum
CREATE TYPE "InvitationStatus" AS ENUM ('queued', 'delivered', 'accepted', 'declined', 'expired', 'failed');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sent', 'failed', 'skipped');

-- CreateTable
CREATE TABLE "researcher" (
    "id" SERIAL NOT NULL,
    "display_name" TEXT NOT NULL,
    "search_name" TEXT NOT NULL,
    "openalex_id" TEXT,
    "orcid" TEXT,
    "summary" TEXT,
    "open_to_collaborate" BOOLEAN NOT NULL DEFAULT true,
    "verification_level" INTEGER NOT NULL DEFAULT 0,
    "cited_by_count" INTEGER NOT NULL DEFAULT 0,
    "claimed_by_account_id" INTEGER,
    "claimed_at" TIMESTAMP(3),
    "works_checked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "researcher_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "institution" (
    "id" SERIAL NOT NULL,
    "openalex_id" TEXT,
    "ror" TEXT,
    "name" TEXT NOT NULL,
    "country_code" TEXT,

    CONSTRAINT "institution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "affiliation" (
    "researcher_id" INTEGER NOT NULL,
    "institution_id" INTEGER NOT NULL,
    "last_year" INTEGER,

    CONSTRAINT "affiliation_pkey" PRIMARY KEY ("researcher_id","institution_id")
);

-- CreateTable
CREATE TABLE "topic" (
    "id" SERIAL NOT NULL,
    "openalex_id" TEXT,
    "name" TEXT NOT NULL,

    CONSTRAINT "topic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "researcher_topic" (
    "researcher_id" INTEGER NOT NULL,
    "topic_id" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "researcher_topic_pkey" PRIMARY KEY ("researcher_id","topic_id")
);

-- CreateTable
CREATE TABLE "work" (
    "id" SERIAL NOT NULL,
    "openalex_id" TEXT,
    "doi" TEXT,
    "arxiv_id" TEXT,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "abstract" TEXT,
    "publication_year" INTEGER,
    "publication_date" DATE,
    "venue" TEXT,
    "source_created_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorship" (
    "work_id" INTEGER NOT NULL,
    "researcher_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "authorship_pkey" PRIMARY KEY ("work_id","researcher_id")
);

-- CreateTable
CREATE TABLE "work_topic" (
    "work_id" INTEGER NOT NULL,
    "topic_id" INTEGER NOT NULL,

    CONSTRAINT "work_topic_pkey" PRIMARY KEY ("work_id","topic_id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" SERIAL NOT NULL,
    "display_name" TEXT NOT NULL,
    "digest_mode" "DigestMode" NOT NULL DEFAULT 'instant',
    "digest_hour" INTEGER NOT NULL DEFAULT 9,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "snoozed_until" TIMESTAMP(3),
    "notify_identity_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_identity" (
    "id" SERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "platform" "Platform" NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "display_name" TEXT,
    "dm_channel_id" TEXT,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "link_code" (
    "id" SERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "code_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "link_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow" (
    "account_id" INTEGER NOT NULL,
    "researcher_id" INTEGER NOT NULL,
    "muted" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follow_pkey" PRIMARY KEY ("account_id","researcher_id")
);

-- CreateTable
CREATE TABLE "channel_subscription" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "researcher_id" INTEGER NOT NULL,
    "created_by_identity_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim" (
    "id" SERIAL NOT NULL,
    "researcher_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "status" "ClaimStatus" NOT NULL DEFAULT 'pending',
    "method" "ClaimMethod" NOT NULL,
    "evidence" TEXT,
    "decided_by_identity_id" INTEGER,
    "decided_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_state" (
    "nonce" TEXT NOT NULL,
    "claim_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "oauth_state_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "claim_watch" (
    "account_id" INTEGER NOT NULL,
    "researcher_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_watch_pkey" PRIMARY KEY ("account_id","researcher_id")
);

-- CreateTable
CREATE TABLE "invitation" (
    "id" UUID NOT NULL,
    "sender_account_id" INTEGER NOT NULL,
    "sender_identity_id" INTEGER NOT NULL,
    "researcher_id" INTEGER NOT NULL,
    "recipient_account_id" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "status" "InvitationStatus" NOT NULL DEFAULT 'queued',
    "origin_platform" "Platform" NOT NULL,
    "origin_tenant_id" TEXT NOT NULL,
    "origin_channel_id" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMP(3),
    "responded_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitation_delivery" (
    "invitation_id" UUID NOT NULL,
    "identity_id" INTEGER NOT NULL,
    "message_ref" TEXT,
    "sent_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invitation_delivery_pkey" PRIMARY KEY ("invitation_id","identity_id")
);

-- CreateTable
CREATE TABLE "block" (
    "blocker_account_id" INTEGER NOT NULL,
    "blocked_account_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "block_pkey" PRIMARY KEY ("blocker_account_id","blocked_account_id")
);

-- CreateTable
CREATE TABLE "notification_delivery" (
    "id" BIGSERIAL NOT NULL,
    "recipient_key" TEXT NOT NULL,
    "account_id" INTEGER,
    "work_id" INTEGER NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "digest" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "notification_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_account_id" INTEGER,
    "actor_identity_id" INTEGER,
    "action" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_installation" (
    "id" SERIAL NOT NULL,
    "team_id" TEXT,
    "enterprise_id" TEXT,
    "is_enterprise" BOOLEAN NOT NULL DEFAULT false,
    "data" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "slack_installation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "researcher_openalex_id_key" ON "researcher"("openalex_id");

-- CreateIndex
CREATE UNIQUE INDEX "researcher_orcid_key" ON "researcher"("orcid");

-- CreateIndex
CREATE INDEX "researcher_search_name_trgm" ON "researcher" USING GIST ("search_name" gist_trgm_ops);

-- CreateIndex
CREATE INDEX "researcher_claimed_by_account_id_idx" ON "researcher"("claimed_by_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "institution_openalex_id_key" ON "institution"("openalex_id");

-- CreateIndex
CREATE UNIQUE INDEX "institution_ror_key" ON "institution"("ror");

-- CreateIndex
CREATE INDEX "affiliation_institution_id_idx" ON "affiliation"("institution_id");

-- CreateIndex
CREATE UNIQUE INDEX "topic_openalex_id_key" ON "topic"("openalex_id");

-- CreateIndex
CREATE UNIQUE INDEX "topic_name_key" ON "topic"("name");

-- CreateIndex
CREATE INDEX "researcher_topic_topic_id_idx" ON "researcher_topic"("topic_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_openalex_id_key" ON "work"("openalex_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_doi_key" ON "work"("doi");

-- CreateIndex
CREATE UNIQUE INDEX "work_arxiv_id_key" ON "work"("arxiv_id");

-- CreateIndex
CREATE INDEX "work_publication_year_idx" ON "work"("publication_year");

-- CreateIndex
CREATE INDEX "authorship_researcher_id_work_id_idx" ON "authorship"("researcher_id", "work_id");

-- CreateIndex
CREATE INDEX "work_topic_topic_id_idx" ON "work_topic"("topic_id");

-- CreateIndex
CREATE INDEX "chat_identity_account_id_idx" ON "chat_identity"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "chat_identity_platform_tenant_id_user_id_key" ON "chat_identity"("platform", "tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "link_code_code_hash_key" ON "link_code"("code_hash");

-- CreateIndex
CREATE INDEX "link_code_account_id_created_at_idx" ON "link_code"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "follow_researcher_id_idx" ON "follow"("researcher_id");

-- CreateIndex
CREATE INDEX "channel_subscription_researcher_id_idx" ON "channel_subscription"("researcher_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_subscription_platform_tenant_id_channel_id_research_key" ON "channel_subscription"("platform", "tenant_id", "channel_id", "researcher_id");

-- CreateIndex
CREATE INDEX "claim_researcher_id_status_idx" ON "claim"("researcher_id", "status");

-- CreateIndex
CREATE INDEX "claim_account_id_status_idx" ON "claim"("account_id", "status");

-- CreateIndex
CREATE INDEX "claim_watch_researcher_id_idx" ON "claim_watch"("researcher_id");

-- CreateIndex
CREATE INDEX "invitation_sender_account_id_created_at_idx" ON "invitation"("sender_account_id", "created_at");

-- CreateIndex
CREATE INDEX "invitation_recipient_account_id_status_idx" ON "invitation"("recipient_account_id", "status");

-- CreateIndex
CREATE INDEX "invitation_researcher_id_status_idx" ON "invitation"("researcher_id", "status");

-- CreateIndex
CREATE INDEX "invitation_status_expires_at_idx" ON "invitation"("status", "expires_at");

-- CreateIndex
CREATE INDEX "notification_delivery_status_digest_account_id_idx" ON "notification_delivery"("status", "digest", "account_id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_delivery_recipient_key_work_id_key" ON "notification_delivery"("recipient_key", "work_id");

-- CreateIndex
CREATE INDEX "audit_log_subject_type_subject_id_idx" ON "audit_log"("subject_type", "subject_id");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- CreateIndex
CREATE UNIQUE INDEX "slack_installation_team_id_enterprise_id_key" ON "slack_installation"("team_id", "enterprise_id");

-- AddForeignKey
ALTER TABLE "researcher" ADD CONSTRAINT "researcher_claimed_by_account_id_fkey" FOREIGN KEY ("claimed_by_account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "researcher_topic" ADD CONSTRAINT "researcher_topic_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "researcher_topic" ADD CONSTRAINT "researcher_topic_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorship" ADD CONSTRAINT "authorship_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorship" ADD CONSTRAINT "authorship_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_topic" ADD CONSTRAINT "work_topic_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_topic" ADD CONSTRAINT "work_topic_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_identity" ADD CONSTRAINT "chat_identity_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link_code" ADD CONSTRAINT "link_code_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow" ADD CONSTRAINT "follow_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow" ADD CONSTRAINT "follow_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_subscription" ADD CONSTRAINT "channel_subscription_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim" ADD CONSTRAINT "claim_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim" ADD CONSTRAINT "claim_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_watch" ADD CONSTRAINT "claim_watch_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_watch" ADD CONSTRAINT "claim_watch_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_sender_account_id_fkey" FOREIGN KEY ("sender_account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_recipient_account_id_fkey" FOREIGN KEY ("recipient_account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitation_delivery" ADD CONSTRAINT "invitation_delivery_invitation_id_fkey" FOREIGN KEY ("invitation_id") REFERENCES "invitation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "block" ADD CONSTRAINT "block_blocker_account_id_fkey" FOREIGN KEY ("blocker_account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "block" ADD CONSTRAINT "block_blocked_account_id_fkey" FOREIGN KEY ("blocked_account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE CASCADE ON UPDATE CASCADE;


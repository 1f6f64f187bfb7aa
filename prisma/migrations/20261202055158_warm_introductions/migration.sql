-- AlterEnum
ALTER TYPE "InvitationStatus" ADD VALUE 'withdrawn';

-- AlterTable
ALTER TABLE "invitation" ADD COLUMN     "intro_path" JSONB,
ADD COLUMN     "intro_target_id" INTEGER;

-- CreateTable
CREATE TABLE "intro_member" (
    "identity_id" INTEGER NOT NULL,
    "platform" "Platform" NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "opted_in_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "intro_member_pkey" PRIMARY KEY ("identity_id")
);

-- CreateTable
CREATE TABLE "coauthor_tie" (
    "researcher_id" INTEGER NOT NULL,
    "coauthor_id" INTEGER NOT NULL,
    "shared_works" INTEGER NOT NULL,
    "last_year" INTEGER,

    CONSTRAINT "coauthor_tie_pkey" PRIMARY KEY ("researcher_id","coauthor_id")
);

-- CreateTable
CREATE TABLE "coauthor_tie_source" (
    "researcher_id" INTEGER NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "coauthor_tie_source_pkey" PRIMARY KEY ("researcher_id")
);

-- CreateIndex
CREATE INDEX "intro_member_platform_tenant_id_idx" ON "intro_member"("platform", "tenant_id");

-- CreateIndex
CREATE INDEX "coauthor_tie_coauthor_id_researcher_id_idx" ON "coauthor_tie"("coauthor_id", "researcher_id");

-- AddForeignKey
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_intro_target_id_fkey" FOREIGN KEY ("intro_target_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "intro_member" ADD CONSTRAINT "intro_member_identity_id_fkey" FOREIGN KEY ("identity_id") REFERENCES "chat_identity"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateTable
CREATE TABLE "coauthor_reach" (
    "researcher_id" INTEGER NOT NULL,
    "coauthor_id" INTEGER NOT NULL,
    "shared_works" INTEGER NOT NULL,
    "last_year" INTEGER,

    CONSTRAINT "coauthor_reach_pkey" PRIMARY KEY ("researcher_id","coauthor_id")
);

-- CreateIndex
CREATE INDEX "coauthor_reach_coauthor_id_researcher_id_idx" ON "coauthor_reach"("coauthor_id", "researcher_id");


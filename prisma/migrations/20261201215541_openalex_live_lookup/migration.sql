-- AlterTable
ALTER TABLE "researcher" ADD COLUMN     "fetched_at" TIMESTAMP(3),
ADD COLUMN     "source_works_count" INTEGER,
ADD COLUMN     "works_imported_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "openalex_usage" (
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "openalex_usage_pkey" PRIMARY KEY ("day","kind")
);

-- CreateTable
CREATE TABLE "openalex_cache" (
    "key" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "fetched_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "openalex_cache_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "openalex_user_search" (
    "actor" TEXT NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "openalex_user_search_pkey" PRIMARY KEY ("actor","window_start")
);

-- CreateIndex
CREATE INDEX "openalex_cache_fetched_at_idx" ON "openalex_cache"("fetched_at");


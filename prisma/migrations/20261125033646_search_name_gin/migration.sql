-- DropIndex
DROP INDEX "researcher_search_name_trgm";

-- CreateIndex
CREATE INDEX "researcher_search_name_exact" ON "researcher"("search_name");

-- CreateIndex
CREATE INDEX "researcher_search_name_trgm" ON "researcher" USING GIN ("search_name" gin_trgm_ops);


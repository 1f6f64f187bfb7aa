-- CreateTable
CREATE TABLE "researcher_name" (
    "search_name" TEXT NOT NULL,

    CONSTRAINT "researcher_name_pkey" PRIMARY KEY ("search_name")
);

-- CreateIndex
CREATE INDEX "researcher_name_trgm" ON "researcher_name" USING GIN ("search_name" gin_trgm_ops);


-- Keep researcher_name in step with researcher.search_name. Written by hand (schema.prisma cannot
-- express triggers). The function body spells its semicolons as \073 because the migration runner
-- splits scripts on that character, even inside dollar quotes.
CREATE FUNCTION "researcher_name_sync"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO researcher_name (search_name) VALUES (NEW.search_name) ON CONFLICT DO NOTHING\073 RETURN NEW\073 END';

CREATE TRIGGER "researcher_name_sync" AFTER INSERT OR UPDATE OF "search_name" ON "researcher"
  FOR EACH ROW EXECUTE FUNCTION "researcher_name_sync"();

-- Backfill the names of researchers that already exist.
INSERT INTO "researcher_name" ("search_name") SELECT DISTINCT "search_name" FROM "researcher" ON CONFLICT DO NOTHING;

-- Name search by word: a dictionary of distinct name words (name_token, trigram-indexed) and each
-- distinct name's words (researcher_name.tokens, GIN-indexed). A typed word is matched against the
-- small dictionary, then names are found by their exact words. Edited by hand after
-- `npm run db:migration:new`: tokens is a generated column, which schema.prisma cannot express,
-- and the trigger now fills the dictionary too. Semicolons inside the function body are written
-- \073 because the migration runner splits scripts on that character, even inside quotes.

-- AlterTable
ALTER TABLE "researcher_name" ADD COLUMN "tokens" TEXT[] GENERATED ALWAYS AS (string_to_array("search_name", ' ')) STORED;

-- CreateTable
CREATE TABLE "name_token" (
    "token" TEXT NOT NULL,

    CONSTRAINT "name_token_pkey" PRIMARY KEY ("token")
);

-- Backfill the dictionary from the names that already exist.
INSERT INTO "name_token" ("token")
SELECT DISTINCT t FROM "researcher_name", unnest("tokens") AS t WHERE t <> '' ON CONFLICT DO NOTHING;

-- CreateIndex
CREATE INDEX "name_token_trgm" ON "name_token" USING GIN ("token" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "researcher_name_tokens" ON "researcher_name" USING GIN ("tokens");

-- The trigger that keeps researcher_name current now adds new words to the dictionary as well.
CREATE OR REPLACE FUNCTION "researcher_name_sync"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO researcher_name (search_name) VALUES (NEW.search_name) ON CONFLICT DO NOTHING\073 INSERT INTO name_token (token) SELECT t FROM unnest(string_to_array(NEW.search_name, \' \')) AS t WHERE t <> \'\' ON CONFLICT DO NOTHING\073 RETURN NEW\073 END';

-- A typo in a short word ("Wbeer" for Weber) shares too few trigrams with the right word to be
-- found by similarity, and the name then goes unfound. Each dictionary word also gets its deletion
-- neighbourhood (the word and each form with one letter left out, for words of three letters or more),
-- so a typed word reaches every word one edit away by exact lookups. Edited by hand after
-- `npm run db:migration:new`: the function and trigger cannot be expressed in schema.prisma, and
-- semicolons inside the trigger body are written \073 because the migration runner splits on them.

-- CreateTable
CREATE TABLE "name_token_variant" (
    "variant" TEXT NOT NULL,
    "token" TEXT NOT NULL,

    CONSTRAINT "name_token_variant_pkey" PRIMARY KEY ("variant","token")
);

CREATE FUNCTION "name_word_variants"(word text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT array_agg(DISTINCT v) FROM (SELECT word AS v UNION ALL SELECT overlay(word placing '''' from i for 1) FROM generate_series(1, CASE WHEN length(word) >= 3 THEN length(word) ELSE 0 END) AS i) s';

CREATE FUNCTION "name_token_variant_sync"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO name_token_variant (variant, token) SELECT v, NEW.token FROM unnest(name_word_variants(NEW.token)) AS v ON CONFLICT DO NOTHING\073 RETURN NEW\073 END';

CREATE TRIGGER "name_token_variant_sync" AFTER INSERT ON "name_token"
  FOR EACH ROW EXECUTE FUNCTION "name_token_variant_sync"();

-- Backfill the words already in the dictionary.
INSERT INTO "name_token_variant" ("variant", "token")
SELECT v, "token" FROM "name_token", unnest(name_word_variants("token")) AS v ON CONFLICT DO NOTHING;

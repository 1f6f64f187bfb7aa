-- Card counts kept instead of recounted per lookup (issue 20). Edited by hand after
-- `npm run db:migration:new`: the functions and triggers cannot be expressed in schema.prisma.
-- Semicolons inside function bodies are written \073 because the migration runner splits scripts on
-- that character, even inside quotes, and no comment here may hold one either.

-- CreateTable
CREATE TABLE "researcher_counts" (
    "researcher_id" INTEGER NOT NULL,
    "works" INTEGER NOT NULL DEFAULT 0,
    "followers" INTEGER NOT NULL DEFAULT 0,
    "topics" INTEGER NOT NULL DEFAULT 0,
    "coauthors" INTEGER NOT NULL DEFAULT 0,
    "close_collaborators" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "researcher_counts_pkey" PRIMARY KEY ("researcher_id")
);

-- AddForeignKey
ALTER TABLE "researcher_counts" ADD CONSTRAINT "researcher_counts_researcher_id_fkey" FOREIGN KEY ("researcher_id") REFERENCES "researcher"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Works, co-authors and close collaborators (two works or more together, CLOSE_COLLABORATOR_MIN_SHARED_WORKS
-- in ProfileService.ts) of everyone who wrote one of work_ids, and of extra_ids, counted again. A
-- distinct-co-author count cannot be kept by adding and subtracting, so the authors concerned are
-- recounted, which costs what one card used to. The advisory locks (one per work, taken in order)
-- make two transactions that add authors to the same work recount one after the other, the second
-- seeing the first's rows, so neither misses the other's co-author.
CREATE FUNCTION "researcher_counts_recount"(work_ids int[], extra_ids int[]) RETURNS void LANGUAGE plpgsql AS E'DECLARE w int\073 BEGIN FOR w IN SELECT DISTINCT x FROM unnest(work_ids) AS x ORDER BY x LOOP PERFORM pg_advisory_xact_lock(20261202, w)\073 END LOOP\073 INSERT INTO researcher_counts AS c (researcher_id, works, coauthors, close_collaborators) SELECT r.id, (SELECT count(*) FROM authorship a WHERE a.researcher_id = r.id), p.coauthors, p.close FROM researcher r CROSS JOIN LATERAL (SELECT count(*) AS coauthors, count(*) FILTER (WHERE s.shared >= 2) AS close FROM (SELECT o.researcher_id, count(*) AS shared FROM authorship m JOIN authorship o ON o.work_id = m.work_id AND o.researcher_id <> m.researcher_id WHERE m.researcher_id = r.id GROUP BY o.researcher_id) s) p WHERE r.id IN (SELECT a.researcher_id FROM authorship a WHERE a.work_id = ANY(work_ids) UNION SELECT unnest(extra_ids)) ON CONFLICT (researcher_id) DO UPDATE SET works = EXCLUDED.works, coauthors = EXCLUDED.coauthors, close_collaborators = EXCLUDED.close_collaborators\073 END';

CREATE FUNCTION "researcher_counts_authorship"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN IF TG_OP = \'INSERT\' THEN PERFORM researcher_counts_recount(ARRAY(SELECT work_id FROM new_rows), \'{}\')\073 ELSIF TG_OP = \'DELETE\' THEN PERFORM researcher_counts_recount(ARRAY(SELECT work_id FROM old_rows), ARRAY(SELECT researcher_id FROM old_rows))\073 ELSE PERFORM researcher_counts_recount(ARRAY[OLD.work_id, NEW.work_id], ARRAY[OLD.researcher_id])\073 END IF\073 RETURN NULL\073 END';

-- Once per statement for inserts and deletes (an import writes a batch of authorships at once), and
-- per row only when an authorship moves to another researcher or work (a merge), not when its
-- position changes.
CREATE TRIGGER "researcher_counts_authorship_insert" AFTER INSERT ON "authorship"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "researcher_counts_authorship"();
CREATE TRIGGER "researcher_counts_authorship_delete" AFTER DELETE ON "authorship"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "researcher_counts_authorship"();
CREATE TRIGGER "researcher_counts_authorship_move" AFTER UPDATE OF "researcher_id", "work_id" ON "authorship"
  FOR EACH ROW WHEN (OLD."researcher_id" IS DISTINCT FROM NEW."researcher_id" OR OLD."work_id" IS DISTINCT FROM NEW."work_id")
  EXECUTE FUNCTION "researcher_counts_authorship"();

-- Followers and topics are plain counts: one more, one fewer, in the writing transaction (the row
-- lock on the researcher's counts row orders concurrent writers).
CREATE FUNCTION "researcher_counts_follow"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN IF TG_OP <> \'DELETE\' THEN INSERT INTO researcher_counts AS c (researcher_id, followers) VALUES (NEW.researcher_id, 1) ON CONFLICT (researcher_id) DO UPDATE SET followers = c.followers + 1\073 END IF\073 IF TG_OP <> \'INSERT\' THEN UPDATE researcher_counts SET followers = followers - 1 WHERE researcher_id = OLD.researcher_id\073 END IF\073 RETURN NULL\073 END';
CREATE TRIGGER "researcher_counts_follow" AFTER INSERT OR DELETE OR UPDATE OF "researcher_id" ON "follow"
  FOR EACH ROW EXECUTE FUNCTION "researcher_counts_follow"();

CREATE FUNCTION "researcher_counts_topic"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN IF TG_OP <> \'DELETE\' THEN INSERT INTO researcher_counts AS c (researcher_id, topics) VALUES (NEW.researcher_id, 1) ON CONFLICT (researcher_id) DO UPDATE SET topics = c.topics + 1\073 END IF\073 IF TG_OP <> \'INSERT\' THEN UPDATE researcher_counts SET topics = topics - 1 WHERE researcher_id = OLD.researcher_id\073 END IF\073 RETURN NULL\073 END';
CREATE TRIGGER "researcher_counts_topic" AFTER INSERT OR DELETE OR UPDATE OF "researcher_id" ON "researcher_topic"
  FOR EACH ROW EXECUTE FUNCTION "researcher_counts_topic"();

-- Every researcher's counts from scratch, in one pass (a row each, zeros included, so none is left stale): the backfill below, and the synthetic loader
-- after its bulk COPY (which runs with the triggers above switched off).
CREATE FUNCTION "researcher_counts_rebuild"() RETURNS void LANGUAGE sql AS 'INSERT INTO researcher_counts (researcher_id, works, followers, topics, coauthors, close_collaborators) SELECT r.id, coalesce(w.n, 0), coalesce(f.n, 0), coalesce(t.n, 0), coalesce(p.coauthors, 0), coalesce(p.close, 0) FROM researcher r LEFT JOIN (SELECT researcher_id, count(*) AS n FROM authorship GROUP BY researcher_id) w ON w.researcher_id = r.id LEFT JOIN (SELECT researcher_id, count(*) AS n FROM follow GROUP BY researcher_id) f ON f.researcher_id = r.id LEFT JOIN (SELECT researcher_id, count(*) AS n FROM researcher_topic GROUP BY researcher_id) t ON t.researcher_id = r.id LEFT JOIN (SELECT a, count(*) AS coauthors, count(*) FILTER (WHERE shared >= 2) AS close FROM (SELECT m.researcher_id AS a, o.researcher_id AS b, count(*) AS shared FROM authorship m JOIN authorship o ON o.work_id = m.work_id AND o.researcher_id <> m.researcher_id GROUP BY 1, 2) pairs GROUP BY a) p ON p.a = r.id ON CONFLICT (researcher_id) DO UPDATE SET works = EXCLUDED.works, followers = EXCLUDED.followers, topics = EXCLUDED.topics, coauthors = EXCLUDED.coauthors, close_collaborators = EXCLUDED.close_collaborators';

SELECT "researcher_counts_rebuild"();

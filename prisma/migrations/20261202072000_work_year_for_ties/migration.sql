-- Co-author ties are counted from authorship and dated by their works' publication year. With the
-- year in an index on work's id, the live tie queries of an intro search read indexes only, never
-- the work table's pages, which on a large graph are mostly not in memory. Hand-written: the schema
-- language has no INCLUDE.
CREATE INDEX "work_id_publication_year_idx" ON "work" ("id") INCLUDE ("publication_year");

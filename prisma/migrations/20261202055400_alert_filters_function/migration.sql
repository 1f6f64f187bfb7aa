-- Whether a work passes a follow's or subscription's filters (AND-combined, see src/core/alerts/filters.ts).
-- One function so fan-out applies the same rule to every kind of follow. Null filters pass everything.
CREATE OR REPLACE FUNCTION peerlink_work_passes(filters jsonb, wid integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT filters IS NULL OR (
    (NOT (filters ? 'types') OR w.type = ANY (ARRAY(SELECT jsonb_array_elements_text(filters->'types'))))
    AND (NOT (filters ? 'minCitations') OR EXISTS (
      SELECT 1 FROM authorship a JOIN researcher r ON r.id = a.researcher_id
      WHERE a.work_id = w.id AND r.cited_by_count >= (filters->>'minCitations')::int))
    AND (NOT (filters ? 'excludeWords') OR NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements_text(filters->'excludeWords') x
      WHERE lower(w.title || ' ' || coalesce(w.abstract, '')) LIKE '%' || lower(x) || '%'))
    AND (NOT (filters ? 'excludeCoauthors') OR NOT EXISTS (
      SELECT 1 FROM authorship a JOIN researcher r ON r.id = a.researcher_id
      JOIN jsonb_array_elements_text(filters->'excludeCoauthors') x ON r.search_name = x
      WHERE a.work_id = w.id))
    AND (NOT (filters ? 'excludeTopics') OR NOT EXISTS (
      SELECT 1 FROM work_topic wt JOIN topic t ON t.id = wt.topic_id
      JOIN jsonb_array_elements_text(filters->'excludeTopics') x ON lower(t.name) LIKE '%' || lower(x) || '%'
      WHERE wt.work_id = w.id))
  )
  FROM work w WHERE w.id = wid
$$;

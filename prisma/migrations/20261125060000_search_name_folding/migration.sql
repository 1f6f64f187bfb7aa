-- searchName (src/core/text.ts) now folds letters that Unicode does not decompose: l for ł, o for
-- ø, d for đ and ð, i for dotless ı, h for ħ, t for ŧ, ae for æ, oe for œ, ss for ß, th for þ.
-- Data only, written by hand: stored search names are brought to the new form with the same table.
-- The researcher_name_sync trigger adds the new forms to researcher_name and name_token.
UPDATE "researcher"
SET "search_name" = replace(replace(replace(replace(translate("search_name", 'łøđðıħŧ', 'loddiht'), 'æ', 'ae'), 'œ', 'oe'), 'ß', 'ss'), 'þ', 'th')
WHERE "search_name" ~ '[łøđðıħŧæœßþ]';

-- Names no researcher carries any more would only take places in fuzzy results.
DELETE FROM "researcher_name" n
WHERE n."search_name" ~ '[łøđðıħŧæœßþ]'
  AND NOT EXISTS (SELECT 1 FROM "researcher" r WHERE r."search_name" = n."search_name");

DELETE FROM "name_token" WHERE "token" ~ '[łøđðıħŧæœßþ]';

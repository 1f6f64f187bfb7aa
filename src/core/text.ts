/**
 * Letters that Unicode does not decompose into a base letter and an accent, spelled the way people
 * type them without the accent ("Łukasz" → "lukasz", "Søren" → "soren", "Đorđe" → "dorde").
 * The migration 20261125060000_search_name_folding applies the same table in SQL: keep them equal.
 */
const FOLDED: Record<string, string> = {
  ł: "l",
  ø: "o",
  đ: "d",
  ð: "d",
  ı: "i",
  ħ: "h",
  ŧ: "t",
  æ: "ae",
  œ: "oe",
  ß: "ss",
  þ: "th",
};
const UNFOLDED = new RegExp(`[${Object.keys(FOLDED).join("")}]`, "gu");

/** Lower-cases, strips accents and punctuation and folds spaces: the form names are searched in. */
export function searchName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(UNFOLDED, (c) => FOLDED[c]!)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** ASCII control characters other than tab and newline: never legitimate in a chat command. */
export const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/;

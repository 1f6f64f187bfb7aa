/** Lower-cases, strips accents and punctuation and folds spaces: the form names are searched in. */
export function searchName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** ASCII control characters other than tab and newline: never legitimate in a chat command. */
export const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/;

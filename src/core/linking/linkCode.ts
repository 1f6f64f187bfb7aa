import { createHmac, randomInt } from "node:crypto";

// No I, L, O, U, 0 or 1: codes are read on one screen and typed on another.
const ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
export const LINK_CODE_LENGTH = 8;

/** A fresh code, shown as "ABCD-EFGH". */
export function newLinkCode(): string {
  let code = "";
  for (let i = 0; i < LINK_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What the user typed, in canonical form, or null when it cannot be a code. */
export function normaliseLinkCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  return code.length === LINK_CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/** Codes are stored only as a keyed hash, so a database reader cannot redeem them. */
export function hashLinkCode(normalised: string, secret: string): string {
  return createHmac("sha256", secret).update(`link-code:${normalised}`).digest("hex");
}

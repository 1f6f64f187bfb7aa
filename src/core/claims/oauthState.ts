// The ORCID OAuth `state`: signed so it cannot be forged, and backed by an OAuthState row whose
// usedAt is set by a conditional update so it cannot be replayed.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const ORCID_CALLBACK_PATH = "/oauth/orcid/callback";

export const orcidRedirectUri = (publicUrl: string) => `${publicUrl.replace(/\/$/, "")}${ORCID_CALLBACK_PATH}`;

export interface StatePayload {
  nonce: string;
  claimId: number;
  expiresAt: Date;
}

export const newNonce = () => randomBytes(16).toString("base64url");

const mac = (body: string, secret: string) => createHmac("sha256", secret).update(`orcid-state:${body}`).digest();

export function signState(p: StatePayload, secret: string): string {
  const body = `${p.nonce}.${p.claimId}.${Math.floor(p.expiresAt.getTime() / 1000)}`;
  return `${body}.${mac(body, secret).toString("base64url")}`;
}

/** The payload of a state this server signed, or null for anything else. */
export function verifyState(state: string, secret: string): StatePayload | null {
  const m = /^([A-Za-z0-9_-]{16,64})\.(\d{1,10})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!m) return null;
  const [, nonce, claimId, exp, signature] = m as unknown as [string, string, string, string, string];
  const expected = mac(`${nonce}.${claimId}.${exp}`, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { nonce, claimId: Number(claimId), expiresAt: new Date(Number(exp) * 1000) };
}

/** ORCID iDs compared in canonical form: "https://orcid.org/0000-0002-1825-009x" → "0000-0002-1825-009X". */
export function canonicalOrcid(id: string): string {
  return id
    .trim()
    .replace(/^https?:\/\/(www\.)?(sandbox\.)?orcid\.org\//i, "")
    .toUpperCase();
}

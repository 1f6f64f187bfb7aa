import type { Config } from "../../config.js";
import type { LinkSettings } from "../linking/LinkService.js";
import type { ReviewChannel } from "./ClaimNotifier.js";

export type ClaimVerificationMode = "orcid" | "review" | "both";

export interface ClaimSettings {
  /** orcid: ORCID sign-in only; review: admin review only; both: ORCID when the record has an iD, else review. */
  verification: ClaimVerificationMode;
  reviewChannel?: ReviewChannel;
  /** Present when ORCID sign-in is configured (client id and secret). */
  orcid?: { baseUrl: string; clientId: string };
  publicUrl: string;
  /** Signs OAuth state; ORCID sign-in is unavailable without it. */
  signingSecret?: string;
  stateTtlMinutes: number;
}

export const DEFAULT_CLAIM_SETTINGS: ClaimSettings = {
  verification: "both",
  publicUrl: "http://localhost:3000",
  stateTtlMinutes: 10,
};

/** Claim settings from validated config: ORCID sign-in is offered only when its client is configured. */
export function claimSettingsFrom(config: Config): ClaimSettings {
  const { clientId, clientSecret, baseUrl } = config.orcid;
  return {
    ...DEFAULT_CLAIM_SETTINGS,
    verification: config.claims.verification,
    reviewChannel: config.claims.reviewChannel,
    orcid: clientId && clientSecret ? { baseUrl, clientId } : undefined,
    publicUrl: config.publicUrl,
    signingSecret: config.signingSecret,
  };
}

/** Link codes are hashed with SIGNING_SECRET; without one, a fixed key (set SIGNING_SECRET in production). */
export const linkSecretFrom = (signingSecret: string | undefined): LinkSettings["secret"] => signingSecret ?? "peerlink-link-codes";

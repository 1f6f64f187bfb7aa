// The trust model, documented in docs/trust.md. Deterministic: the same stored signals always give
// the same score. Keep the two in step.

export type VerificationLevel = 0 | 1 | 2 | 3;

export interface TrustSignals {
  verificationLevel: number;
  claimed: boolean;
  works: number;
  closeCollaborators: number;
  followers: number;
}

export type TrustTier = "Emerging" | "Established" | "Trusted";

export interface Trust {
  score: number;
  tier: TrustTier;
  /** Points per signal, for "why this score" explanations. */
  parts: { verification: number; claim: number; works: number; collaborators: number; followers: number };
}

const VERIFICATION_POINTS = [0, 10, 30, 40] as const;
const WORKS_CAP = 200;
const COLLABORATORS_CAP = 10;
const FOLLOWERS_CAP = 1000;

/** Logarithmic credit: the first works (or followers) count most; `cap` earns the full `max` points. */
const logPoints = (n: number, cap: number, max: number) => Math.min(max, (max * Math.log10(1 + Math.max(0, n))) / Math.log10(1 + cap));

export function computeTrust(s: TrustSignals): Trust {
  const level = Math.max(0, Math.min(3, Math.trunc(s.verificationLevel)));
  const parts = {
    verification: VERIFICATION_POINTS[level] ?? 0,
    claim: s.claimed ? 10 : 0,
    works: logPoints(s.works, WORKS_CAP, 20),
    collaborators: 15 * Math.min(1, Math.max(0, s.closeCollaborators) / COLLABORATORS_CAP),
    followers: logPoints(s.followers, FOLLOWERS_CAP, 15),
  };
  const score = Math.round(parts.verification + parts.claim + parts.works + parts.collaborators + parts.followers);
  return { score, tier: tierFor(score), parts };
}

export function tierFor(score: number): TrustTier {
  if (score >= 65) return "Trusted";
  if (score >= 35) return "Established";
  return "Emerging";
}

export const VERIFICATION_LABELS: Record<VerificationLevel, string> = {
  0: "L0 · imported",
  1: "L1 · matched to a persistent id",
  2: "L2 · claimed and verified",
  3: "L3 · verified by institution",
};

export function verificationLabel(level: number): string {
  return VERIFICATION_LABELS[Math.max(0, Math.min(3, level)) as VerificationLevel];
}

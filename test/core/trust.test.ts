import { describe, expect, it } from "vitest";
import { computeTrust, tierFor } from "../../src/core/trust/trust.js";

const reference = { verificationLevel: 1, claimed: false, works: 8, closeCollaborators: 2, followers: 0 };

describe("trust score", () => {
  it("puts the reference profile (L1, unclaimed, 8 works, no followers) at 21, Emerging", () => {
    expect(computeTrust(reference)).toMatchObject({ score: 21, tier: "Emerging" });
  });

  it("is deterministic and stays within 0–100", () => {
    expect(computeTrust(reference)).toEqual(computeTrust(reference));
    expect(computeTrust({ verificationLevel: 0, claimed: false, works: 0, closeCollaborators: 0, followers: 0 }).score).toBe(0);
    const max = computeTrust({ verificationLevel: 3, claimed: true, works: 10_000, closeCollaborators: 500, followers: 1e6 });
    expect(max).toMatchObject({ score: 100, tier: "Trusted" });
  });

  it("rises with each signal", () => {
    const base = computeTrust(reference).score;
    expect(computeTrust({ ...reference, verificationLevel: 2, claimed: true }).score).toBeGreaterThan(base);
    expect(computeTrust({ ...reference, works: 50 }).score).toBeGreaterThan(base);
    expect(computeTrust({ ...reference, followers: 10 }).score).toBeGreaterThan(base);
    expect(computeTrust({ ...reference, closeCollaborators: 6 }).score).toBeGreaterThan(base);
  });

  it("a verified claim lifts the reference profile to Established", () => {
    expect(computeTrust({ ...reference, verificationLevel: 2, claimed: true }).tier).toBe("Established");
  });

  it("has documented tier boundaries", () => {
    expect([tierFor(34), tierFor(35), tierFor(64), tierFor(65)]).toEqual(["Emerging", "Established", "Established", "Trusted"]);
  });
});

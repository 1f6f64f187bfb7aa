import { describe, expect, it } from "vitest";
import { plainTex } from "../../src/core/plainTex.js";

describe("plainTex", () => {
  it("turns \\unicode escapes into their characters", () => {
    expect(plainTex("that $\\unicode{x2014}$ after")).toBe("that — after");
  });

  it("keeps emphasised words and formulas, without their markup", () => {
    expect(plainTex("We \\emph{really} mean \\emph{\\textbf{it}}")).toBe("We really mean it");
    expect(plainTex("at $O(n^{2})$ cost, $\\alpha \\approx 0.5$, $\\mathcal{O}(\\log n)$ on $\\mathbb{R}^d$")).toBe(
      "at O(n^2) cost, α ≈ 0.5, O(log n) on ℝ^d",
    );
  });

  it("reads TeX's dashes, quotes and escaped characters", () => {
    expect(plainTex("pruning---the task; 50\\% of ``easy'' data")).toBe("pruning—the task; 50% of “easy” data");
  });

  it("leaves text without TeX alone, dollar amounts included", () => {
    expect(plainTex("It costs $5 and $10 today.")).toBe("It costs $5 and $10 today.");
    expect(plainTex("Plain text (e.g. this).")).toBe("Plain text (e.g. this).");
  });
});

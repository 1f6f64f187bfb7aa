// How strong a co-authorship tie is: shared works, the recent ones counting for more. One formula
// for every edge of a path, so "closest first" means the same on each hop.

/** A tie between two researchers as the data has it. */
export interface Tie {
  sharedWorks: number;
  /** Publication year of their latest shared work; null when no shared work has a year. */
  lastYear: number | null;
}

/** A tie this many years old counts half as much as one from this year. */
const HALF_LIFE_YEARS = 5;

/** Shared works, halved for every five years since the latest one (an undated tie counts as old). */
export function tieStrength(tie: Tie, currentYear: number): number {
  const age = tie.lastYear === null ? 2 * HALF_LIFE_YEARS : Math.max(0, currentYear - tie.lastYear);
  return tie.sharedWorks * 0.5 ** (age / HALF_LIFE_YEARS);
}

// A small seeded PRNG (mulberry32). Every entity gets its own stream, keyed by (seed, stream, index),
// so any researcher or work can be regenerated on its own, in any order, with identical results:
// that is what lets the loader make one pass per table without holding the graph in memory.

/** murmur3's finaliser applied to h combined with v: a cheap, well-mixed 32-bit hash step. */
function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number, stream = 0, index = 0) {
    this.state = mix(mix(mix(0x2545f491, seed >>> 0), stream), index >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), 1 | t);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index into `weights`, chosen with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Geometric count with the given mean (0, 1, 2, …), capped: a long tail without extremes. */
  geometric(mean: number, cap: number): number {
    const p = 1 / (mean + 1);
    const k = Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
    return Math.min(k, cap);
  }

  /** Pareto-distributed value ≥ 0 with scale `scale` and tail index `alpha` (smaller = heavier tail). */
  pareto(scale: number, alpha: number): number {
    return scale * (Math.pow(1 - this.next(), -1 / alpha) - 1);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

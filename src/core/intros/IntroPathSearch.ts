import type { Db } from "../../db/client.js";
import { type CoauthorTies, type TieRow } from "./CoauthorTies.js";
import type { Member } from "./IntroMembers.js";
import { type Tie, tieStrength } from "./tieStrength.js";

/**
 * Fan-out caps: the target's strongest co-authors, and each of theirs, that the search follows.
 * They keep a search over a prolific target (or co-author) bounded; a member's own co-authors are
 * never enumerated at all (their ties are probed by co-author, see CoauthorTies.between).
 */
export const INTRO_FANOUT = { target: 200, second: 40 } as const;

export const MAX_INTRO_HOPS = 3;

export interface PathNode {
  researcherId: number;
  name: string;
}

/** A shortest co-authorship path from a member's researcher record to the target. */
export interface IntroPath {
  member: Member;
  /** From the member's record to the target, both included: hops + 1 nodes. */
  nodes: PathNode[];
  /** ties[i] joins nodes[i] and nodes[i + 1]. */
  ties: Tie[];
  hops: number;
  /** The weakest tie's strength: a path is as warm as its coldest link. */
  strength: number;
}

interface Found {
  member: Member;
  ids: number[];
  ties: Tie[];
}

const tieOf = (t: TieRow): Tie => ({ sharedWorks: t.sharedWorks, lastYear: t.lastYear });

/**
 * Bounded bidirectional search: from the target outwards (its co-authors, then theirs, capped)
 * and from the members inwards (their precomputed ties), meeting in the middle. Depth 1 on the
 * members' side and at most 2 on the target's gives every path of up to 3 hops, and each member's
 * shortest one, strongest first among equals.
 */
export class IntroPathSearch {
  constructor(
    private readonly db: Db,
    private readonly ties: CoauthorTies,
  ) {}

  async find(targetId: number, members: readonly Member[], now: Date): Promise<IntroPath[]> {
    const candidates = members.filter((m) => m.researcherId !== targetId);
    if (candidates.length === 0) return [];
    const year = now.getUTCFullYear();
    const strength = (t: Tie) => tieStrength(t, year);
    await this.ties.ensureFresh(
      candidates.map((m) => m.researcherId),
      now,
    );
    const byResearcher = new Map<number, Member[]>();
    for (const m of candidates) byResearcher.set(m.researcherId, [...(byResearcher.get(m.researcherId) ?? []), m]);
    const memberIds = [...byResearcher.keys()];
    const best = new Map<number, Found>();
    const offer = (researcherId: number, ids: number[], ties: Tie[]) => {
      const was = best.get(researcherId);
      if (!was || warmer(ties, was.ties, strength)) {
        best.set(researcherId, { member: byResearcher.get(researcherId)![0]!, ids, ties });
      }
    };

    // Depth 1 from the target.
    const first = await this.ties.live([targetId], INTRO_FANOUT.target);
    const toTarget = new Map(first.map((t) => [t.to, tieOf(t)]));
    for (const id of memberIds) {
      const tie = toTarget.get(id);
      if (tie) offer(id, [id, targetId], [tie]);
    }
    // Members' ties meeting the target's co-authors: two hops.
    const firstIds = [...toTarget.keys()];
    for (const t of await this.ties.between(memberIds, firstIds)) {
      if (t.to === targetId) continue;
      offer(t.from, [t.from, t.to, targetId], [tieOf(t), toTarget.get(t.to)!]);
    }
    const unreached = memberIds.filter((id) => !best.has(id));
    if (unreached.length && firstIds.length) {
      // Depth 2 from the target, meeting the members' ties: three hops.
      const second = await this.ties.live(firstIds, INTRO_FANOUT.second);
      const via = new Map<number, { mid: number; tie: Tie }>();
      for (const t of second) {
        if (t.to === targetId || toTarget.has(t.to)) continue; // those are nearer: already seen
        const candidate = { mid: t.from, tie: tieOf(t) };
        const was = via.get(t.to);
        const warmth = Math.min(strength(candidate.tie), strength(toTarget.get(t.from)!));
        if (!was || warmth > Math.min(strength(was.tie), strength(toTarget.get(was.mid)!))) via.set(t.to, candidate);
      }
      for (const t of await this.ties.between(unreached, [...via.keys()])) {
        const { mid, tie } = via.get(t.to)!;
        if (t.from === mid) continue;
        offer(t.from, [t.from, t.to, mid, targetId], [tieOf(t), tie, toTarget.get(mid)!]);
      }
    }
    if (best.size === 0) return [];

    const names = await this.names([...new Set([...best.values()].flatMap((f) => f.ids))]);
    const paths: IntroPath[] = [];
    for (const [researcherId, found] of best) {
      for (const member of byResearcher.get(researcherId)!) {
        paths.push({
          member,
          nodes: found.ids.map((id) => ({ researcherId: id, name: names.get(id) ?? "someone" })),
          ties: found.ties,
          hops: found.ties.length,
          strength: weakest(found.ties, strength),
        });
      }
    }
    return paths.sort(
      (a, b) =>
        a.hops - b.hops ||
        b.strength - a.strength ||
        a.member.researcherName.localeCompare(b.member.researcherName) ||
        a.member.identityId - b.member.identityId,
    );
  }

  private async names(ids: number[]): Promise<Map<number, string>> {
    const rows = await this.db.researcher.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
    return new Map(rows.map((r) => [r.id, r.displayName]));
  }
}

/** Fewer hops first; then the stronger weakest tie; then the stronger ties in all. */
function warmer(a: Tie[], b: Tie[], strength: (t: Tie) => number): boolean {
  if (a.length !== b.length) return a.length < b.length;
  const [wa, wb] = [weakest(a, strength), weakest(b, strength)];
  if (wa !== wb) return wa > wb;
  const total = (ties: Tie[]) => ties.reduce((n, t) => n + strength(t), 0);
  return total(a) > total(b);
}

function weakest(ties: Tie[], strength: (t: Tie) => number): number {
  return Math.min(...ties.map(strength));
}

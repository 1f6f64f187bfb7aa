import { type Db, sqlPool } from "../../db/client.js";
import type { CoauthorTies } from "./CoauthorTies.js";
import type { Member } from "./IntroMembers.js";
import { type Tie, tieStrength } from "./tieStrength.js";

/**
 * Fan-out cap: the target's strongest co-authors that the search follows. It keeps a search over a
 * prolific target bounded; the members' side is precomputed (their ties, and their strongest
 * co-authors' ties: REACH_FANOUT in CoauthorTies) and probed by co-author, never enumerated.
 */
export const INTRO_FANOUT = { target: 200 } as const;

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

/**
 * Bounded bidirectional search: from the target outwards (its co-authors, capped) and from the
 * members inwards (their precomputed ties, and their strongest co-authors' ties), meeting in the
 * middle. Depth 1 on the target's side and at most 2 on the members' gives every path of up to 3
 * hops within the caps, and each member's shortest one, strongest first among equals.
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

    for (const m of await this.ties.meetings(targetId, memberIds, INTRO_FANOUT.target)) offer(m.member, m.ids, m.ties);
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
    // Plain SQL: through Prisma's client this lookup alone took longer than the path search.
    const { rows } = await sqlPool(this.db).query<{ id: number; name: string }>({
      name: "intro-path-names",
      text: `SELECT id, display_name AS name FROM researcher WHERE id = ANY($1::int[])`,
      values: [ids],
    });
    return new Map(rows.map((r) => [r.id, r.name]));
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

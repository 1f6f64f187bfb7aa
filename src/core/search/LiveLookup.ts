// Live lookup: when local data has no exact, unique answer, ask the open scholarly graph and merge
// what it knows with what Peerlink has into one ranked pick list. Picking someone (or a single strong
// match) imports them: the card comes from the author and their recent works at once, the rest by
// an import job. Profiles older than `staleAfterMs` are refreshed in the background.
import type { Clock } from "../context.js";
import type { Db } from "../../db/client.js";
import { searchName } from "../text.js";
import { isValidOrcid, parseResearcherRef } from "./identifiers.js";
import type { Candidate, SearchResult } from "./ResearcherSearch.js";
import {
  type DirectoryFailure,
  type ImportProgress,
  type ImportQueue,
  type RemoteAuthor,
  type ScholarlyDirectory,
  ScholarlyDirectoryError,
} from "./ScholarlyDirectory.js";

export interface LiveLookupSettings {
  /** a stored profile fetched longer ago than this is refreshed in the background */
  staleAfterMs: number;
}

/**
 * How long an answer whose counts are still arriving waits for its import before it is left as it
 * is: inside Discord's 15 minutes for editing an interaction's reply and Slack's 30 for response_url.
 */
export const IMPORT_WAIT_MS = 10 * 60_000;

export const DEFAULT_LIVE_LOOKUP_SETTINGS: LiveLookupSettings = { staleAfterMs: 7 * 24 * 3_600_000 };

/** One entry of a merged pick list: a researcher Peerlink has, or one only the directory knows. */
export interface PickCandidate {
  researcherId?: number;
  sourceId?: string;
  displayName: string;
  /** institution, works, citations, main topic, ORCID */
  hints: string[];
  exact: boolean;
  citedByCount: number;
}

export type LiveResult =
  | { kind: "found"; researcherId: number }
  | { kind: "pick"; candidates: PickCandidate[]; workTitle?: string }
  | { kind: "none"; searched: string }
  | { kind: "failed"; reason: DirectoryFailure; local: SearchResult };

interface LocalHints {
  id: number;
  openalex_id: string | null;
  orcid: string | null;
  display_name: string;
  cited_by_count: number;
  institution: string | null;
  works: number;
  topic: string | null;
}

export class LiveLookup {
  private readonly background = new Set<Promise<unknown>>();
  private readonly refreshing = new Set<number>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly directory: ScholarlyDirectory | undefined,
    /** absent: the rest of an import runs inline, before the card is shown (console, tests) */
    private readonly queue: () => ImportQueue | undefined,
    private readonly log: { error(obj: object, msg: string): void },
    private readonly settings: LiveLookupSettings = DEFAULT_LIVE_LOOKUP_SETTINGS,
    private readonly onImportProgress?: ImportProgress,
  ) {}

  get enabled(): boolean {
    return this.directory !== undefined;
  }

  /** Asks the directory about what the local search could not answer exactly. */
  async resolve(query: string, local: SearchResult, requester?: string): Promise<LiveResult> {
    const directory = this.directory!;
    const ref = parseResearcherRef(query);
    try {
      switch (ref.kind) {
        case "openalex": {
          // The author and their first works page in one round trip.
          const researcherId = await this.ensureImported(ref.openalexId);
          return researcherId === null ? { kind: "none", searched: `the OpenAlex id ${ref.openalexId}` } : { kind: "found", researcherId };
        }
        case "orcid": {
          if (!isValidOrcid(ref.orcid)) return { kind: "none", searched: `the ORCID iD ${ref.orcid}` };
          const author = await directory.getAuthor({ orcid: ref.orcid });
          const researcherId = author && (await this.ensureImported(author.sourceId));
          return researcherId ? { kind: "found", researcherId } : { kind: "none", searched: `the ORCID iD ${ref.orcid}` };
        }
        case "doi":
        case "arxiv": {
          if (local.kind === "ambiguous") {
            const stored = await this.db.work.findFirst({
              where: ref.kind === "doi" ? { doi: ref.doi } : { arxivId: ref.arxivId },
              select: { title: true },
            });
            return { kind: "pick", candidates: await this.localCandidates(local.candidates, ""), workTitle: stored?.title };
          }
          const work = await directory.getWork(ref.kind === "doi" ? { doi: ref.doi } : { arxivId: ref.arxivId });
          const searched = ref.kind === "doi" ? `the DOI ${ref.doi}` : `the arXiv paper ${ref.arxivId}`;
          if (!work || work.authors.length === 0) return { kind: "none", searched };
          const only = work.authors.length === 1 ? await this.ensureImported(work.authors[0]!.sourceId) : null;
          if (only) return { kind: "found", researcherId: only };
          const remote: RemoteAuthor[] = work.authors.map((a) => ({
            ...a,
            alternativeNames: [],
            worksCount: 0,
            citedByCount: 0,
            mainTopic: null,
          }));
          // A paper's authors in their order on the paper, not by prominence.
          return { kind: "pick", candidates: await this.merge([], remote, "", false), workTitle: work.title };
        }
        case "id":
          return { kind: "none", searched: `the Peerlink id #${ref.id}` };
        case "name": {
          const remote = await directory.searchAuthors(ref.name, { requester });
          const localCandidates = local.kind === "ambiguous" ? local.candidates : [];
          const localIds = local.kind === "found" ? [local.researcherId] : localCandidates.map((c) => c.id);
          const merged = await this.merge(localIds, remote, ref.name, true);
          if (merged.length === 0) return { kind: "none", searched: `the name “${ref.name}”` };
          const exact = merged.filter((c) => c.exact);
          const strong = exact.length === 1 ? exact[0]! : merged.length === 1 ? merged[0]! : undefined;
          const strongId = strong && (strong.researcherId ?? (await this.ensureImported(strong.sourceId!)));
          if (strongId) return { kind: "found", researcherId: strongId };
          return { kind: "pick", candidates: merged.slice(0, 10) };
        }
      }
    } catch (error) {
      if (error instanceof ScholarlyDirectoryError) return { kind: "failed", reason: error.reason, local };
      throw error;
    }
  }

  /** The stored researcher with this source id, importing them first when they were never fetched whole. */
  async ensureImported(sourceId: string): Promise<number | null> {
    const row = await this.db.researcher.findUnique({ where: { openalexId: sourceId }, select: { id: true, fetchedAt: true } });
    if (row?.fetchedAt) {
      this.refreshIfStale(row.id, row.fetchedAt);
      return row.id;
    }
    const first = await this.directory!.importFirstPage(sourceId);
    if (!first) return null;
    const { researcherId } = first;
    const queue = this.queue();
    if (queue) await queue.enqueueImport(researcherId);
    else await this.completeImport(researcherId);
    return researcherId;
  }

  /** The rest of an import (works, co-authors, topics): the import job's work, or inline. */
  async completeImport(researcherId: number, onProgress: ImportProgress | undefined = this.onImportProgress): Promise<void> {
    if (!this.directory) return;
    await this.directory.importRest(researcherId, onProgress);
  }

  /**
   * Stale-while-revalidate: the stored card is shown now, and a profile fetched longer ago than the
   * configured age is refreshed behind it.
   */
  refreshIfStale(researcherId: number, fetchedAt: Date | null): void {
    if (!this.directory || !fetchedAt) return;
    if (this.clock.now().getTime() - fetchedAt.getTime() < this.settings.staleAfterMs) return;
    if (this.refreshing.has(researcherId)) return;
    this.refreshing.add(researcherId);
    const queue = this.queue();
    const work = (queue ? queue.enqueueImport(researcherId) : this.completeImport(researcherId, undefined))
      .catch((err: unknown) => this.log.error({ err, researcherId }, "refreshing a stale profile failed"))
      .finally(() => {
        this.refreshing.delete(researcherId);
        this.background.delete(work);
      });
    this.background.add(work);
  }

  /** True when the rest of an import runs behind the card (a job), so a card may show counts still arriving. */
  get importsInBackground(): boolean {
    return this.directory !== undefined && this.queue() !== undefined;
  }

  /**
   * Resolves true once the researcher's import is whole (works, co-authors and topics stored), false
   * when it is not by `timeoutMs` on the clock. Reads Postgres, where the import job writes, so it
   * holds whichever process runs the job; a failed read gives up quietly (the card shown stays true).
   */
  async whenImported(researcherId: number, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<boolean> {
    const { timeoutMs = IMPORT_WAIT_MS, pollMs = 1000 } = options;
    const deadline = this.clock.now().getTime() + timeoutMs;
    for (;;) {
      const row = await this.db.researcher
        .findUnique({ where: { id: researcherId }, select: { fetchedAt: true, worksImportedAt: true } })
        .catch(() => null);
      if (!row?.fetchedAt) return false;
      if (row.worksImportedAt && row.worksImportedAt >= row.fetchedAt) return true;
      if (this.clock.now().getTime() + pollMs > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs).unref());
    }
  }

  /** Resolves when background refreshes started so far are done (one-shot console, tests). */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /**
   * A stored researcher found locally: someone only known as a co-author on a work (never fetched
   * whole) is imported now; a profile past its age is refreshed behind the card. One indexed read
   * otherwise, so repeat lookups stay as fast as local ones.
   */
  async ensureWhole(researcherId: number): Promise<void> {
    if (!this.directory) return;
    const row = await this.db.researcher.findUnique({ where: { id: researcherId }, select: { fetchedAt: true, openalexId: true } });
    if (!row) return;
    if (row.fetchedAt || !row.openalexId || !/^A\d+$/.test(row.openalexId)) {
      this.refreshIfStale(researcherId, row.fetchedAt);
      return;
    }
    try {
      await this.ensureImported(row.openalexId);
    } catch (error) {
      // What is stored still makes a card; the import is tried again on the next lookup.
      if (!(error instanceof ScholarlyDirectoryError)) throw error;
    }
  }

  /**
   * Type-ahead choices: the local matches first (`#id` names exactly that researcher), then the
   * directory's suggestions for people Peerlink does not have yet (their id looks them up). The
   * directory gets `deadlineMs`; whatever it has not answered by then is left out.
   */
  async suggest(typed: string, local: Candidate[], limit: number, deadlineMs = 1000): Promise<{ label: string; query: string }[]> {
    const choices = local.slice(0, limit).map((c) => ({ label: c.displayName, query: `#${c.id}` }));
    if (!this.directory || choices.length >= limit) return choices;
    const remote = await this.directory.suggestAuthors(typed, { deadlineMs }).catch(() => []);
    if (remote.length === 0) return choices;
    const stored = await this.db.researcher.findMany({
      where: { id: { in: local.map((c) => c.id) }, openalexId: { not: null } },
      select: { openalexId: true },
    });
    const have = new Set(stored.map((r) => r.openalexId));
    for (const r of remote) {
      if (choices.length >= limit) break;
      if (have.has(r.sourceId)) continue;
      choices.push({ label: r.institution ? `${r.displayName} — ${r.institution}` : r.displayName, query: r.sourceId });
    }
    return choices;
  }

  async localCandidates(candidates: Candidate[], query: string): Promise<PickCandidate[]> {
    return this.merge(
      candidates.map((c) => c.id),
      [],
      query,
      false,
    );
  }

  /**
   * One list: local researchers (with hints from stored rows) and remote authors, a remote author
   * Peerlink already has shown once, as Peerlink's. `rank`: exact names first, then by citations.
   */
  private async merge(localIds: number[], remote: RemoteAuthor[], query: string, rank: boolean): Promise<PickCandidate[]> {
    const q = searchName(query);
    const isExact = (names: string[]) => q !== "" && names.some((n) => searchName(n) === q);
    const known = await this.hints(
      localIds,
      remote.map((r) => r.sourceId),
    );
    const bySource = new Map(known.filter((k) => k.openalex_id).map((k) => [k.openalex_id!, k]));
    const out: PickCandidate[] = [];
    const seen = new Set<number>();
    for (const id of localIds) {
      const k = known.find((h) => h.id === id);
      if (!k || seen.has(id)) continue;
      seen.add(id);
      const r = k.openalex_id ? remote.find((a) => a.sourceId === k.openalex_id) : undefined;
      out.push(this.fromLocal(k, r, isExact([k.display_name, ...(r?.alternativeNames ?? [])])));
    }
    for (const r of remote) {
      const k = bySource.get(r.sourceId);
      if (k) {
        if (seen.has(k.id)) continue;
        seen.add(k.id);
        out.push(this.fromLocal(k, r, isExact([r.displayName, ...r.alternativeNames])));
        continue;
      }
      out.push({
        sourceId: r.sourceId,
        displayName: r.displayName,
        hints: hintsOf(r.institution, r.worksCount, r.citedByCount, r.mainTopic, r.orcid, "OpenAlex"),
        exact: isExact([r.displayName, ...r.alternativeNames]),
        citedByCount: r.citedByCount,
      });
    }
    if (!rank) return out;
    return out
      .map((c, i) => ({ c, i }))
      .sort((x, y) => Number(y.c.exact) - Number(x.c.exact) || y.c.citedByCount - x.c.citedByCount || x.i - y.i)
      .map(({ c }) => c);
  }

  private fromLocal(k: LocalHints, r: RemoteAuthor | undefined, exact: boolean): PickCandidate {
    return {
      researcherId: k.id,
      displayName: k.display_name,
      hints: hintsOf(
        k.institution ?? r?.institution ?? null,
        Math.max(k.works, r?.worksCount ?? 0),
        Math.max(k.cited_by_count, r?.citedByCount ?? 0),
        k.topic ?? r?.mainTopic ?? null,
        k.orcid ?? r?.orcid ?? null,
        "in Peerlink",
      ),
      exact,
      citedByCount: Math.max(k.cited_by_count, r?.citedByCount ?? 0),
    };
  }

  private async hints(ids: number[], sourceIds: string[]): Promise<LocalHints[]> {
    if (ids.length === 0 && sourceIds.length === 0) return [];
    return this.db.$queryRaw<LocalHints[]>`
      SELECT r.id, r.openalex_id, r.orcid, r.display_name, r.cited_by_count,
        (SELECT i.name FROM affiliation a JOIN institution i ON i.id = a.institution_id
          WHERE a.researcher_id = r.id ORDER BY a.last_year DESC NULLS LAST LIMIT 1) AS institution,
        (SELECT count(*) FROM authorship w WHERE w.researcher_id = r.id)::int AS works,
        (SELECT t.name FROM researcher_topic rt JOIN topic t ON t.id = rt.topic_id
          WHERE rt.researcher_id = r.id ORDER BY rt.weight DESC, t.name LIMIT 1) AS topic
      FROM researcher r
      WHERE r.id = ANY(${ids}::int[]) OR r.openalex_id = ANY(${sourceIds}::text[])`;
  }
}

const count = (n: number, one: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : `${one}s`}`;

function hintsOf(institution: string | null, works: number, citations: number, topic: string | null, orcid: string | null, from: string): string[] {
  return [
    institution ?? "no institution listed",
    ...(works > 0 ? [count(works, "work")] : []),
    ...(citations > 0 ? [count(citations, "citation")] : []),
    ...(topic ? [topic] : []),
    orcid ? `ORCID ${orcid}` : "no ORCID",
    from,
  ];
}

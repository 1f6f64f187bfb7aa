// New-paper ingest: asks the scholarly source about every distinct thing someone follows or a
// channel subscribes to — researchers, topics, institutions, searches, the works of researchers
// whose citations are followed — in as few requests as its OR lists allow (one list per 100
// distinct things, however many follow them), stores what it finds and fans it out once per work
// with every reason. The source is asked for works published within `lookbackDays` (OpenAlex's
// created-since filter is for paid plans); a work counts as new for a follow when the source first
// listed it after the follow began, so a paper indexed late still arrives, and the unique key on
// (recipient, work) keeps a work seen again from being sent twice. Crash-safe by order: deliveries
// are written before the things' check times move.
import type { Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import { searchName } from "../text.js";
import { CHAT_ONLY, type Reach } from "./destinations.js";
import { type AlertMatch, FanOut, type QueuedDelivery } from "./FanOut.js";
import type { RequestPrice, ScholarlySource, SourceWork, WorksMatchKind } from "./ScholarlySource.js";
import { WorkStore } from "./WorkStore.js";

export interface IngestRequests {
  singleton: number;
  list: number;
  search: number;
  total: number;
}

export interface IngestResult {
  researchersChecked: number;
  /** topics, institutions, searches and citations followed */
  targetsChecked: number;
  worksSeen: number;
  deliveriesCreated: number;
  /** deliveries to enqueue for sending now */
  instant: QueuedDelivery[];
  /** requests sent to the source this cycle (retries included), by price class */
  requests: IngestRequests;
  /** what they cost at the source's prices */
  spendUsd: number;
}

export interface IngestSettings {
  /** how far back in publication date the source is asked (INGEST_LOOKBACK_DAYS) */
  lookbackDays: number;
  /** dollars per request by price class (OpenAlex's documented prices by default) */
  priceUsd: Record<RequestPrice, number>;
}

export const DEFAULT_INGEST_SETTINGS: IngestSettings = {
  lookbackDays: 30,
  priceUsd: { singleton: 0, list: 0.1 / 1000, search: 1 / 1000 },
};

type TrackedTarget = { id: number; kind: "topic" | "institution" | "search" | "citations"; key: string; since: Date };

const DAY_MS = 86_400_000;
/** works stored and fanned out together: one fan-out statement per this many */
const FAN_OUT_WORKS = 500;

export class IngestService {
  private readonly works: WorkStore;
  private readonly fanOut: FanOut;
  private readonly settings: IngestSettings;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    reach: Reach = CHAT_ONLY,
    settings: Partial<IngestSettings> = {},
  ) {
    this.works = new WorkStore(db, clock);
    this.fanOut = new FanOut(db, reach);
    this.settings = { ...DEFAULT_INGEST_SETTINGS, ...settings };
  }

  /** One ingest pass. `onDeliveries` is called after each fan-out so sending starts while the rest is written. */
  async run(source: ScholarlySource, onDeliveries?: (instant: QueuedDelivery[]) => Promise<void>): Promise<IngestResult> {
    const startedAt = this.clock.now();
    const fromDay = new Date(startedAt.getTime() - this.settings.lookbackDays * DAY_MS).toISOString().slice(0, 10);
    const requests: IngestRequests = { singleton: 0, list: 0, search: 0, total: 0 };
    const count = (price: RequestPrice) => {
      requests[price]++;
      requests.total++;
    };
    const result: IngestResult = { researchersChecked: 0, targetsChecked: 0, worksSeen: 0, deliveriesCreated: 0, instant: [], requests, spendUsd: 0 };

    const researchers = await this.trackedResearchers();
    const targets = await this.trackedTargets();
    const cited = await this.citedWorks(targets.filter((t) => t.kind === "citations").map((t) => t.id));
    // Every work found this cycle, with the things it matched: fanned out once, after all the asking.
    const found = new Map<string, { work: SourceWork; targets: Set<number>; byAuthor: boolean }>();
    const note = (work: SourceWork, target?: number) => {
      const entry = found.get(work.sourceId) ?? { work, targets: new Set<number>(), byAuthor: false };
      if (target === undefined) entry.byAuthor = true;
      else entry.targets.add(target);
      found.set(work.sourceId, entry);
    };
    const ask = async (kind: WorksMatchKind, values: string[], matched: (work: SourceWork) => number[] | null) => {
      for await (const page of source.worksMatching(kind, values, fromDay, count)) {
        result.worksSeen += page.length;
        for (const work of page) {
          const hits = matched(work);
          if (hits === null) note(work);
          else for (const t of hits) note(work, t);
        }
      }
    };

    await ask(
      "author",
      researchers.map((r) => r.openalexId),
      () => null,
    );
    const byKind = (kind: TrackedTarget["kind"]) => targets.filter((t) => t.kind === kind);
    const idsOf = (list: TrackedTarget[]) => new Map(list.map((t) => [t.key, t.id]));
    const topics = idsOf(byKind("topic"));
    await ask("topic", [...topics.keys()], (w) => w.topics.map((t) => topics.get(t.sourceId)).filter((id) => id !== undefined));
    const institutions = idsOf(byKind("institution"));
    await ask("institution", [...institutions.keys()], (w) => w.institutionIds.map((i) => institutions.get(i)).filter((id) => id !== undefined));
    await ask("cites", [...cited.keys()], (w) => [...new Set(w.referencedWorkIds.flatMap((id) => cited.get(id) ?? []))]);
    const searches = byKind("search").map((t) => ({ id: t.id, key: t.key, words: t.key.split(" ") }));
    await ask(
      "search",
      searches.map((s) => s.key),
      (w) => {
        // The source matches with stemming; a work is kept for a search only when it has every word.
        const words = new Set(searchName(`${w.title} ${w.abstract ?? ""}`).split(" "));
        return searches.filter((s) => s.words.every((word) => words.has(word))).map((s) => s.id);
      },
    );

    await this.store([...found.values()], startedAt, targets, researchers, result, onDeliveries);

    // Only after everything found is stored and fanned out: a crash before this re-reads the window.
    // One array parameter each: an IN list of 30,000 bound values costs more than the update.
    await Promise.all([
      this.db.$executeRaw`UPDATE researcher SET works_checked_at = ${startedAt} WHERE id = ANY(${researchers.map((r) => r.id)}::int[])`,
      this.db.$executeRaw`UPDATE alert_target SET works_checked_at = ${startedAt} WHERE id = ANY(${targets.map((t) => t.id)}::int[])`,
    ]);
    result.researchersChecked = researchers.length;
    result.targetsChecked = targets.length;
    result.spendUsd = requests.list * this.settings.priceUsd.list + requests.search * this.settings.priceUsd.search;
    return result;
  }

  /**
   * Stores the works that are new since their things were last checked (a day's slack for the
   * source's clock) and fans them out, FAN_OUT_WORKS at a time.
   */
  private async store(
    found: { work: SourceWork; targets: Set<number>; byAuthor: boolean }[],
    now: Date,
    targets: TrackedTarget[],
    researchers: { since: Date }[],
    result: IngestResult,
    onDeliveries?: (instant: QueuedDelivery[]) => Promise<void>,
  ): Promise<void> {
    const oldest = (dates: Date[]) => (dates.length ? Math.min(...dates.map((d) => d.getTime())) : now.getTime());
    const authorSince = oldest(researchers.map((r) => r.since)) - DAY_MS;
    const targetSince = new Map(targets.map((t) => [t.id, t.since.getTime() - DAY_MS]));
    const fresh = found.filter(({ work, targets: hit, byAuthor }) => {
      const listed = (work.sourceCreatedAt ?? now).getTime();
      return (byAuthor && listed >= authorSince) || [...hit].some((t) => listed >= (targetSince.get(t) ?? 0));
    });
    const chunks: (typeof fresh)[] = [];
    for (let i = 0; i < fresh.length; i += FAN_OUT_WORKS) chunks.push(fresh.slice(i, i + FAN_OUT_WORKS));
    const save = (chunk: typeof fresh | undefined) => {
      const saving = chunk ? this.works.saveMany(chunk.map((c) => c.work)) : Promise.resolve(new Map<string, number>());
      saving.catch(() => {}); // awaited (and thrown) on the next turn; this only keeps Node from calling it unhandled
      return saving;
    };
    // The next chunk's works are stored while this chunk is fanned out (each in its own transaction).
    let next = save(chunks[0]);
    for (const [i, chunk] of chunks.entries()) {
      const saved = await next;
      next = save(chunks[i + 1]);
      const workIds: number[] = [];
      const matches: AlertMatch[] = [];
      for (const { work, targets: hit } of chunk) {
        const workId = saved.get(work.sourceId)!;
        workIds.push(workId);
        for (const targetId of hit) matches.push({ workId, targetId });
      }
      const fanned = await this.fanOut.fanOut(workIds, this.clock.now(), onDeliveries, matches);
      result.deliveriesCreated += fanned.created;
      result.instant.push(...fanned.instant);
    }
  }

  /**
   * Researchers someone follows (unmuted or not: muting is decided per recipient) or a channel
   * subscribes to, with the time to ask from: the last check, else when they were first followed.
   */
  private async trackedResearchers(): Promise<{ id: number; openalexId: string; since: Date }[]> {
    return this.db.$queryRaw`
      SELECT r.id, r.openalex_id AS "openalexId",
             COALESCE(r.works_checked_at, LEAST(
               (SELECT min(created_at) FROM follow f WHERE f.researcher_id = r.id),
               (SELECT min(created_at) FROM channel_subscription s WHERE s.researcher_id = r.id))) AS since
      FROM researcher r
      WHERE r.openalex_id ~ '^A[0-9]+$'
        AND (EXISTS (SELECT 1 FROM follow f WHERE f.researcher_id = r.id)
          OR EXISTS (SELECT 1 FROM channel_subscription s WHERE s.researcher_id = r.id))
      ORDER BY r.id`;
  }

  /** Topics, institutions, searches and citations anyone follows, each once. */
  private async trackedTargets(): Promise<TrackedTarget[]> {
    return this.db.$queryRaw`
      SELECT t.id, t.kind::text AS kind, t.key,
             COALESCE(t.works_checked_at, (SELECT min(created_at) FROM alert a WHERE a.target_id = t.id)) AS since
      FROM alert_target t
      WHERE EXISTS (SELECT 1 FROM alert a WHERE a.target_id = t.id)
      ORDER BY t.id`;
  }

  /** For followed citations: the source ids of the researcher's works, each with the targets that follow them. */
  private async citedWorks(targetIds: number[]): Promise<Map<string, number[]>> {
    if (targetIds.length === 0) return new Map();
    const rows = await this.db.$queryRaw<{ openalex_id: string; target_id: number }[]>`
      SELECT w.openalex_id, t.id AS target_id
      FROM alert_target t JOIN authorship a ON a.researcher_id = t.researcher_id JOIN work w ON w.id = a.work_id
      WHERE t.id = ANY(${targetIds}::int[]) AND w.openalex_id ~ '^W[0-9]+$'`;
    const cited = new Map<string, number[]>();
    for (const r of rows) cited.set(r.openalex_id, [...(cited.get(r.openalex_id) ?? []), r.target_id]);
    return cited;
  }
}

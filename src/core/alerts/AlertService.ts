// Follows and subscriptions of things that are not people: a topic, an institution, a saved search,
// or the citations of a researcher's works. A thing is stored once (alert_target) however many
// follow it, so ingest asks about it once; each follower or channel holds an alert row with its own
// filters and frequency. Topics and institutions resolve through Peerlink's data first, then the
// scholarly directory, with a pick list when several match.
import { Prisma, type Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import { ScholarlyDirectoryError, type DirectoryFailure, type ScholarlyDirectory } from "../search/ScholarlyDirectory.js";
import { searchName } from "../text.js";
import { type AlertFilters, filtersJson, type Frequency } from "./filters.js";

export type AlertKind = "topic" | "institution" | "search" | "citations";
export const ALERT_KINDS: AlertKind[] = ["topic", "institution", "search", "citations"];

/** What is followed, before it is stored. */
export interface TargetRef {
  kind: AlertKind;
  key: string;
  label: string;
  researcherId?: number;
}

export interface TargetCandidate extends TargetRef {
  hints: string[];
}

export type TargetResolution =
  | { kind: "found"; target: TargetRef }
  | { kind: "pick"; candidates: TargetCandidate[] }
  | { kind: "none" }
  | { kind: "invalid"; message: string }
  | { kind: "failed"; reason: DirectoryFailure };

export type AlertOutcome = "followed" | "updated" | "unchanged";

export interface AlertRow {
  id: number;
  kind: AlertKind;
  label: string;
  filters: AlertFilters | null;
  frequency: Frequency | null;
  muted: boolean;
}

/** "Neural Network Pruning" for a topic; "the topic Neural Network Pruning" in a sentence. */
export function describeTarget(kind: AlertKind, label: string, own = false): string {
  switch (kind) {
    case "topic":
      return `the topic ${label}`;
    case "institution":
      return `${label} (institution)`;
    case "search":
      return `the search “${label}”`;
    case "citations":
      return own ? "citations of your papers" : `citations of ${label}'s papers`;
  }
}

const MAX_SEARCH_WORDS = 12;

export class AlertService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly directory: () => ScholarlyDirectory | undefined,
  ) {}

  /** Resolves a topic, institution or search as typed; citations resolve their researcher elsewhere. */
  async resolve(kind: Exclude<AlertKind, "citations">, text: string, requester?: string): Promise<TargetResolution> {
    const typed = text.trim();
    if (kind === "search") {
      const words = searchName(typed)
        .split(" ")
        .filter((w) => w.length > 0);
      if (words.length === 0)
        return { kind: "invalid", message: "Tell me the words to search for, e.g. /researcher follow search: sparse training." };
      if (words.length > MAX_SEARCH_WORDS) return { kind: "invalid", message: `A search is ${MAX_SEARCH_WORDS} words at most.` };
      return { kind: "found", target: { kind, key: words.join(" "), label: typed.slice(0, 100) } };
    }
    if (!typed)
      return {
        kind: "invalid",
        message: `Tell me which ${kind} to follow, e.g. /researcher follow ${kind}: ${kind === "topic" ? "Neural Network Pruning" : "MIT"}.`,
      };
    const local = await this.localMatches(kind, typed);
    const exact = local.filter((c) => searchName(c.label) === searchName(typed));
    if (exact.length === 1) return { kind: "found", target: exact[0]! };
    if (local.length === 1) return { kind: "found", target: local[0]! };
    if (local.length > 1) return { kind: "pick", candidates: local.slice(0, 10) };
    const directory = this.directory();
    if (!directory?.searchEntities) return { kind: "none" };
    try {
      const remote = await directory.searchEntities(kind, typed, { requester });
      const candidates = remote.map((r) => ({ kind, key: r.sourceId, label: r.displayName, hints: r.hints }));
      const strong = candidates.filter((c) => searchName(c.label) === searchName(typed));
      if (strong.length === 1) return { kind: "found", target: strong[0]! };
      if (candidates.length === 1) return { kind: "found", target: candidates[0]! };
      return candidates.length ? { kind: "pick", candidates: candidates.slice(0, 10) } : { kind: "none" };
    } catch (error) {
      if (error instanceof ScholarlyDirectoryError) return { kind: "failed", reason: error.reason };
      throw error;
    }
  }

  /** A picked topic or institution, by its source id (local name, else a free singleton request). */
  async byId(kind: "topic" | "institution", sourceId: string): Promise<TargetRef | null> {
    const local =
      kind === "topic"
        ? await this.db.topic.findUnique({ where: { openalexId: sourceId }, select: { name: true } })
        : await this.db.institution.findUnique({ where: { openalexId: sourceId }, select: { name: true } });
    if (local) return { kind, key: sourceId, label: local.name };
    const remote = await this.directory()?.getEntity?.(kind, sourceId);
    return remote ? { kind, key: remote.sourceId, label: remote.displayName } : null;
  }

  /** Topics or institutions Peerlink has whose name holds every typed word. */
  private async localMatches(kind: "topic" | "institution", typed: string): Promise<TargetCandidate[]> {
    const words = searchName(typed).split(" ").filter(Boolean);
    const patterns = words.map((w) => `%${w}%`);
    const rows =
      kind === "topic"
        ? await this.db.$queryRaw<{ openalex_id: string; name: string; n: number }[]>`
            SELECT t.openalex_id, t.name, (SELECT count(*) FROM work_topic wt WHERE wt.topic_id = t.id)::int AS n
            FROM topic t WHERE t.openalex_id IS NOT NULL AND lower(t.name) LIKE ALL(${patterns}::text[])
            ORDER BY n DESC, t.name LIMIT 20`
        : await this.db.$queryRaw<{ openalex_id: string; name: string; n: number }[]>`
            SELECT i.openalex_id, i.name, (SELECT count(*) FROM affiliation a WHERE a.institution_id = i.id)::int AS n
            FROM institution i WHERE i.openalex_id IS NOT NULL AND lower(i.name) LIKE ALL(${patterns}::text[])
            ORDER BY n DESC, i.name LIMIT 20`;
    const unit = kind === "topic" ? "work" : "researcher";
    return rows.map((r) => ({ kind, key: r.openalex_id, label: r.name, hints: [`${r.n} ${unit}${r.n === 1 ? "" : "s"} in Peerlink`] }));
  }

  /**
   * Follows (or subscribes `recipientKey` to) the target. Following it again with filters or a
   * frequency changes them in place; `clear` removes the filters.
   */
  async follow(
    recipientKey: string,
    accountId: number | null,
    ref: TargetRef,
    change: { filters?: AlertFilters; clear?: boolean; frequency?: Frequency; identityId?: number },
  ): Promise<{ outcome: AlertOutcome; alert: AlertRow }> {
    const now = this.clock.now();
    const target = await this.db.alertTarget.upsert({
      where: { kind_key: { kind: ref.kind, key: ref.key } },
      create: { kind: ref.kind, key: ref.key, label: ref.label, researcherId: ref.researcherId ?? null, createdAt: now },
      update: {},
    });
    const { count } = await this.db.alert.createMany({
      data: [
        {
          recipientKey,
          accountId,
          targetId: target.id,
          filters: change.filters ? filtersJson(change.filters) : undefined,
          frequency: change.frequency ?? null,
          createdByIdentityId: change.identityId ?? null,
          createdAt: now,
        },
      ],
      skipDuplicates: true,
    });
    let outcome: AlertOutcome = count ? "followed" : "unchanged";
    if (!count && (change.filters || change.clear || change.frequency)) {
      await this.db.alert.update({
        where: { recipientKey_targetId: { recipientKey, targetId: target.id } },
        data: {
          ...(change.filters && { filters: filtersJson(change.filters) }),
          ...(change.clear && { filters: Prisma.DbNull }),
          ...(change.frequency && { frequency: change.frequency }),
        },
      });
      outcome = "updated";
    }
    const alert = await this.db.alert.findUniqueOrThrow({ where: { recipientKey_targetId: { recipientKey, targetId: target.id } } });
    return { outcome, alert: rowOf(alert, target) };
  }

  /** The recipient's alert whose thing is named like `text` (its label or key), of that kind. */
  async find(recipientKey: string, kind: AlertKind, text: string): Promise<AlertRow | null> {
    const wanted = searchName(text);
    const alerts = await this.list(recipientKey);
    return (
      alerts.find((a) => a.kind === kind && (searchName(a.label) === wanted || a.label === text)) ??
      alerts.find((a) => a.kind === kind && searchName(a.label).includes(wanted)) ??
      null
    );
  }

  async remove(recipientKey: string, alertId: number): Promise<AlertRow | null> {
    const alert = await this.db.alert.findFirst({ where: { id: alertId, recipientKey }, include: { target: true } });
    if (!alert) return null;
    await this.db.alert.delete({ where: { id: alert.id } });
    return rowOf(alert, alert.target);
  }

  async list(recipientKey: string): Promise<AlertRow[]> {
    const alerts = await this.db.alert.findMany({
      where: { recipientKey },
      include: { target: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    return alerts.map((a) => rowOf(a, a.target));
  }
}

function rowOf(
  alert: { id: number; filters: unknown; frequency: Frequency | null; muted: boolean },
  target: { kind: AlertKind; label: string },
): AlertRow {
  return {
    id: alert.id,
    kind: target.kind,
    label: target.label,
    filters: (alert.filters as AlertFilters | null) ?? null,
    frequency: alert.frequency,
    muted: alert.muted,
  };
}

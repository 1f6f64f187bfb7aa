// Filters on a follow or a subscription, AND-combined: a work must pass every one. Stored as JSON
// on the follow (follow.filters, channel_subscription.filters, alert.filters) and applied in SQL by
// peerlink_work_passes (migration alert_filters_function), so every kind of follow filters alike.
import type { Prisma } from "../../db/client.js";
import { searchName } from "../text.js";

export interface AlertFilters {
  /** only these work types (OpenAlex's: article, preprint, review, book, …) */
  types?: string[];
  /** only works with an author Peerlink knows to have at least this many citations */
  minCitations?: number;
  /** leave out works whose title or abstract contains one of these words */
  excludeWords?: string[];
  /** leave out works with one of these co-authors (search names) */
  excludeCoauthors?: string[];
  /** leave out works on a topic whose name contains one of these */
  excludeTopics?: string[];
}

/** Filters as Prisma stores JSON. */
export const filtersJson = (filters: AlertFilters): Prisma.InputJsonObject => ({ ...filters });

export type Frequency = "instant" | "daily" | "weekly" | "monthly";
export const FREQUENCIES: Frequency[] = ["instant", "daily", "weekly", "monthly"];

/** OpenAlex's work types (developers.openalex.org, Work object: type). */
export const WORK_TYPES = [
  "article",
  "preprint",
  "review",
  "book",
  "book-chapter",
  "dataset",
  "dissertation",
  "editorial",
  "letter",
  "report",
  "standard",
  "other",
] as const;

/** The raw options, as text flags or Discord options give them. */
export interface FilterOptions {
  type?: string;
  minCitations?: number;
  /** comma-separated: words, "co-author:<name>", "topic:<name>" */
  exclude?: string;
  noFilters?: boolean;
}

/** Builds filters from options; a message when one is not valid. undefined: no filter option given. */
export function filtersFrom(options: FilterOptions): { filters?: AlertFilters; clear: boolean } | { error: string } {
  if (options.noFilters) return { clear: true };
  const filters: AlertFilters = {};
  if (options.type) {
    const types = options.type
      .split(/[\s,|]+/)
      .filter(Boolean)
      .map((t) => t.toLowerCase());
    const unknown = types.find((t) => !(WORK_TYPES as readonly string[]).includes(t));
    if (unknown) return { error: `“${unknown}” is not a work type. Types: ${WORK_TYPES.join(", ")}.` };
    filters.types = [...new Set(types)];
  }
  if (options.minCitations !== undefined) filters.minCitations = options.minCitations;
  for (const part of (options.exclude ?? "").split(",").map((p) => p.trim())) {
    if (!part) continue;
    const m = /^(co-?author|topic)\s*:\s*(.+)$/i.exec(part);
    if (m && /^co/i.test(m[1]!)) (filters.excludeCoauthors ??= []).push(searchName(m[2]!));
    else if (m) (filters.excludeTopics ??= []).push(m[2]!.trim().toLowerCase());
    else if (part.length > 100) return { error: "An excluded word is 100 characters at most." };
    else (filters.excludeWords ??= []).push(part.toLowerCase());
  }
  if (Object.values(filters).some((v) => Array.isArray(v) && v.length > 20)) return { error: "At most 20 exclusions of each kind." };
  return Object.keys(filters).length ? { filters, clear: false } : { clear: false };
}

/** "only preprint · authors with 100+ citations · not “survey” · not with Jane Doe · not on “robotics”" */
export function describeFilters(filters: AlertFilters | null | undefined): string | undefined {
  if (!filters) return undefined;
  const parts: string[] = [];
  if (filters.types?.length) parts.push(`only ${filters.types.join(" or ")}`);
  if (filters.minCitations !== undefined) parts.push(`an author with ${filters.minCitations.toLocaleString("en-US")}+ citations`);
  for (const w of filters.excludeWords ?? []) parts.push(`not “${w}”`);
  for (const c of filters.excludeCoauthors ?? []) parts.push(`not with ${c}`);
  for (const t of filters.excludeTopics ?? []) parts.push(`not on “${t}”`);
  return parts.length ? parts.join(" · ") : undefined;
}

/**
 * Splits `--type …`, `--min-citations N`, `--exclude …` (repeatable), `--frequency …` and
 * `--no-filters` off a command's text; the rest is what the follow names.
 */
export function splitFlags(text: string): { rest: string; options: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  const excludes: string[] = [];
  const [rest = "", ...flags] = ` ${text}`.split(/\s--(?=[a-z])/i);
  for (const flag of flags) {
    const m = /^([a-z-]+)(?:[\s=]+([\s\S]*))?$/i.exec(flag.trim());
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const value = m[2]?.trim().replace(/^"(.*)"$/, "$1");
    if (name === "exclude") excludes.push(value ?? "");
    else if (name === "no-filters") options.noFilters = true;
    else if (name === "min-citations") options.minCitations = value;
    else options[name] = value ?? "";
  }
  if (excludes.length) options.exclude = excludes.join(",");
  return { rest: rest.trim(), options };
}

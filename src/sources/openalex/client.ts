// A small client for the OpenAlex REST API (https://docs.openalex.org): single authors and works,
// author search and autocomplete, and every work of a set of authors via cursor paging. "Slow down"
// (403, 429), 5xx and network failures are retried with exponential backoff and jitter, honouring
// Retry-After. Every request is first shown to `meter`, which prices it and may refuse it.
import type { z } from "zod";
import { bareOrcid, shortOpenAlexId } from "./ids.js";
import {
  authorSchema,
  autocompleteSchema,
  entitySchema,
  listSchema,
  workSchema,
  type OpenAlexAuthor,
  type OpenAlexAutocomplete,
  type OpenAlexEntity,
  type OpenAlexWork,
} from "./schemas.js";

/** OpenAlex's price classes: singletons are free, lists and filters $0.10 and searches $1 per 1,000. */
export type PriceClass = "singleton" | "list" | "search";

/**
 * What OpenAlex's rate-limit headers report for the key (documented: X-RateLimit-Limit-USD,
 * X-RateLimit-Remaining-USD, X-RateLimit-Cost-USD): the key's own daily allowance, which other
 * users of the same key share, and what this request cost.
 */
export interface UpstreamAllowance {
  limitUsd: number;
  remainingUsd: number;
  costUsd?: number;
}

/** The allowance an answer's headers report, or undefined when they are absent or unreadable. */
export function allowanceOf(headers: Headers): UpstreamAllowance | undefined {
  const number = (name: string) => {
    const raw = headers.get(name);
    const value = raw === null || raw.trim() === "" ? NaN : Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const limitUsd = number("x-ratelimit-limit-usd");
  const remainingUsd = number("x-ratelimit-remaining-usd");
  if (limitUsd === undefined || remainingUsd === undefined) return undefined;
  const costUsd = number("x-ratelimit-cost-usd");
  return costUsd === undefined ? { limitUsd, remainingUsd } : { limitUsd, remainingUsd, costUsd };
}

export interface OpenAlexClientOptions {
  /** e.g. https://api.openalex.org (config.openalex.apiUrl) */
  apiUrl: string;
  /** sent as `mailto`, which puts requests in OpenAlex's faster "polite pool" */
  mailto?: string;
  /** sent as `api_key` (required by OpenAlex since February 2026 beyond $0.01 a day) */
  apiKey?: string;
  /** called before every request, retries included; may throw to refuse it (the daily budget) */
  meter?: (price: PriceClass) => Promise<void>;
  /** told what OpenAlex's rate-limit headers said, on every answer that carries them */
  observeAllowance?: (allowance: UpstreamAllowance) => void;
  fetch?: typeof fetch;
  /** retries after the first attempt (default 5) */
  maxRetries?: number;
  /** first backoff step; doubles per retry (default 1000 ms) */
  baseDelayMs?: number;
  /** cap on one backoff step (default 30 s) */
  maxDelayMs?: number;
  /** a longer Retry-After than this (e.g. the daily quota is spent) fails at once (default 5 min) */
  maxRetryAfterMs?: number;
  /** per request (default 30 s) */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WorksOfAuthorsOptions {
  /** only works OpenAlex first listed on or after this day (YYYY-MM-DD) */
  fromCreatedDate?: string;
  /** 1-100 (default 100): the current documentation caps per-page at 100 */
  perPage?: number;
}

/** Fields a profile card and the graph writer use, so a works page stays small (`select=`). */
export const WORK_FIELDS = [
  "id",
  "doi",
  "title",
  "display_name",
  "publication_year",
  "publication_date",
  "type",
  "created_date",
  "primary_location",
  "locations",
  "ids",
  "authorships",
  "topics",
  "abstract_inverted_index",
].join(",");

/** What the paper-news check reads of works already posted: their version, retraction and citations. */
export const WORK_STATUS_FIELDS = "id,type,primary_location,is_retracted,cited_by_count";

/** What ingest reads of a work: the card's fields, and what says why it matched (topics, institutions, citations). */
export const INGEST_WORK_FIELDS = `${WORK_FIELDS},referenced_works`;

/**
 * The current documentation (developers.openalex.org, Filter: "Addition (OR)") allows up to 100
 * values OR-ed in one filter, and per-page is 1-100 (Page through results).
 */
export const MAX_OR_VALUES = 100;

export interface WorksWhereOptions {
  /** more filters AND-ed to the OR list, e.g. "from_publication_date:2026-11-01" */
  and?: string[];
  perPage?: number;
  /** told of every request sent (retries included), with its price class: per-cycle counts */
  onRequest?: (price: PriceClass) => void;
}

export interface OpenAlexWorksPage {
  works: OpenAlexWork[];
  /** OpenAlex's count of matching works for the id batches started so far (exact with ≤ 50 ids) */
  total: number;
}

export class OpenAlexError extends Error {
  override name = "OpenAlexError";
  constructor(
    message: string,
    readonly details: { status?: number; attempts?: number; unreachable?: boolean } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** OpenAlex accepts up to 100 OR-ed values in one filter; 50 also keeps URLs comfortably short. */
const IDS_PER_REQUEST = 50;

const authorList = listSchema(authorSchema);
const entityList = listSchema(entitySchema);
const workList = listSchema(workSchema);
const autocompleteList = listSchema(autocompleteSchema);

type Attempt = { ok: true; body: unknown } | { ok: false; reason: string; status?: number; retryAfterMs?: number; unreachable?: boolean };

export class OpenAlexClient {
  private readonly apiUrl: string;
  private readonly mailto: string | undefined;
  private readonly apiKey: string | undefined;
  private readonly meter: ((price: PriceClass) => Promise<void>) | undefined;
  private readonly observeAllowance: ((allowance: UpstreamAllowance) => void) | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: OpenAlexClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.mailto = options.mailto;
    this.apiKey = options.apiKey;
    this.meter = options.meter;
    this.observeAllowance = options.observeAllowance;
    this.fetchFn = options.fetch ?? fetch;
    this.maxRetries = options.maxRetries ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 5 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** An author by OpenAlex id (A…, or its URL) or ORCID iD (bare or URL); null when OpenAlex has none. */
  async getAuthor(idOrOrcid: string): Promise<OpenAlexAuthor | null> {
    const orcid = bareOrcid(idOrOrcid);
    const key = orcid ? `orcid:${orcid}` : shortOpenAlexId(idOrOrcid);
    return this.get(`/authors/${key}`, {}, authorSchema, { notFound: null });
  }

  /** OpenAlex's author search, most relevant first. */
  async searchAuthors(name: string, options: { perPage?: number } = {}): Promise<OpenAlexAuthor[]> {
    const page = await this.get("/authors", { search: name, "per-page": String(options.perPage ?? 10) }, authorList);
    return page.results;
  }

  /** Up to ten authors whose names start like `prefix` (OpenAlex's type-ahead). */
  async autocompleteAuthors(prefix: string): Promise<OpenAlexAutocomplete[]> {
    const page = await this.get("/autocomplete/authors", { q: prefix }, autocompleteList);
    return page.results;
  }

  /** Topics or institutions matching `query`, most relevant first (a search request). */
  async searchEntities(kind: "topics" | "institutions", query: string, perPage = 10): Promise<OpenAlexEntity[]> {
    const page = await this.get(`/${kind}`, { search: query, "per-page": String(perPage) }, entityList);
    return page.results;
  }

  /** One topic or institution by id (free, a singleton); null when OpenAlex has none. */
  async getEntity(kind: "topics" | "institutions", id: string): Promise<OpenAlexEntity | null> {
    return this.get(`/${kind}/${shortOpenAlexId(id)}`, {}, entitySchema, { notFound: null });
  }

  /**
   * Works whose `filterKey` is any of `values` (e.g. topics.id:T1|T2), every page of them by cursor,
   * in OR lists of at most MAX_OR_VALUES; a work matched by two lists is yielded once. Values must not
   * contain "|" or ",", which are OpenAlex's OR and AND.
   */
  async *worksWhere(filterKey: string, values: string[], options: WorksWhereOptions = {}): AsyncGenerator<OpenAlexWork[]> {
    const unique = [...new Set(values)];
    const perPage = options.perPage ?? 100;
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) throw new RangeError("perPage must be 1-100");
    for (const v of unique) if (/[|,]/.test(v)) throw new RangeError(`a filter value may not contain | or ,: ${v}`);
    const seen = new Set<string>();
    for (let i = 0; i < unique.length; i += MAX_OR_VALUES) {
      const filter = [`${filterKey}:${unique.slice(i, i + MAX_OR_VALUES).join("|")}`, ...(options.and ?? [])].join(",");
      let cursor: string | null | undefined = "*";
      while (cursor) {
        const page: z.output<typeof workList> = await this.get(
          "/works",
          { filter, "per-page": String(perPage), cursor, select: INGEST_WORK_FIELDS },
          workList,
          undefined,
          options.onRequest,
        );
        const works = page.results.filter((w) => !seen.has(w.id) && seen.add(w.id));
        if (works.length > 0) yield works;
        // A page short of per-page is the last: no need to ask for the empty page that ends the walk.
        cursor = page.results.length === perPage ? page.meta.next_cursor : null;
      }
    }
  }

  /**
   * Works by OpenAlex id with only what may change after they were stored (WORK_STATUS_FIELDS), in
   * list requests of at most MAX_OR_VALUES ids; ids OpenAlex no longer has are missing from the answer.
   */
  async workStatuses(ids: string[]): Promise<OpenAlexWork[]> {
    const unique = [...new Set(ids.map(shortOpenAlexId))];
    const works: OpenAlexWork[] = [];
    for (let i = 0; i < unique.length; i += MAX_OR_VALUES) {
      const filter = `ids.openalex:${unique.slice(i, i + MAX_OR_VALUES).join("|")}`;
      const page = await this.get("/works", { filter, "per-page": String(MAX_OR_VALUES), select: WORK_STATUS_FIELDS }, workList);
      works.push(...page.results);
    }
    return works;
  }

  /** A work by DOI (bare or doi.org URL), free as a singleton; null when OpenAlex has none. */
  async getWorkByDoi(doi: string): Promise<OpenAlexWork | null> {
    return this.get(`/works/doi:${doi.replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, "")}`, {}, workSchema, { notFound: null });
  }

  /** One page of an author's works, most recently published first: enough for a first card. */
  async recentWorks(authorId: string, perPage: number): Promise<OpenAlexWorksPage> {
    const page = await this.get(
      "/works",
      { filter: `author.id:${shortOpenAlexId(authorId)}`, sort: "publication_date:desc", "per-page": String(perPage), select: WORK_FIELDS },
      workList,
    );
    return { works: page.results, total: page.meta.count };
  }

  /**
   * Every work by any of the given authors, one page at a time, following `meta.next_cursor` until
   * OpenAlex runs out. Ids are OR-ed in one filter (`author.id:A1|A2`), in batches; a work shared by
   * authors of different batches is yielded once.
   */
  async *worksOfAuthors(authorIds: string[], options: WorksOfAuthorsOptions = {}): AsyncGenerator<OpenAlexWorksPage> {
    const ids = [...new Set(authorIds.map(shortOpenAlexId))];
    const { fromCreatedDate, perPage = 100 } = options;
    if (fromCreatedDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(fromCreatedDate)) {
      throw new RangeError(`fromCreatedDate must be YYYY-MM-DD, not ${fromCreatedDate}`);
    }
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) throw new RangeError("perPage must be 1-100");

    const seen = new Set<string>();
    let total = 0;
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
      const filters = [`author.id:${ids.slice(i, i + IDS_PER_REQUEST).join("|")}`];
      if (fromCreatedDate) filters.push(`from_created_date:${fromCreatedDate}`);
      let cursor: string | null | undefined = "*";
      let first = true;
      while (cursor) {
        const page: z.output<typeof workList> = await this.get(
          "/works",
          { filter: filters.join(","), "per-page": String(perPage), cursor, select: WORK_FIELDS },
          workList,
        );
        if (first) total += page.meta.count;
        first = false;
        const works = page.results.filter((w) => !seen.has(w.id) && seen.add(w.id));
        if (works.length > 0) yield { works, total };
        // OpenAlex ends a cursor walk with an empty page whose next_cursor is null; stopping at
        // an empty page as well guards against a server that keeps handing out cursors.
        cursor = page.results.length > 0 ? page.meta.next_cursor : null;
      }
    }
  }

  private async get<T extends z.ZodType>(path: string, params: Record<string, string>, schema: T): Promise<z.output<T>>;
  private async get<T extends z.ZodType>(
    path: string,
    params: Record<string, string>,
    schema: T,
    options: { notFound: null },
  ): Promise<z.output<T> | null>;
  private async get<T extends z.ZodType>(
    path: string,
    params: Record<string, string>,
    schema: T,
    options: undefined,
    onRequest: ((price: PriceClass) => void) | undefined,
  ): Promise<z.output<T>>;
  private async get<T extends z.ZodType>(
    path: string,
    params: Record<string, string>,
    schema: T,
    options?: { notFound: null },
    onRequest?: (price: PriceClass) => void,
  ): Promise<z.output<T> | null> {
    const url = new URL(this.apiUrl + path);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const what = `GET ${decodeURIComponent(url.pathname + url.search)}`;
    if (this.mailto) url.searchParams.set("mailto", this.mailto);
    if (this.apiKey) url.searchParams.set("api_key", this.apiKey);
    const price = priceOf(path, params);

    for (let attempt = 1; ; attempt++) {
      await this.meter?.(price);
      onRequest?.(price);
      const result = await this.attempt(url, what, options !== undefined);
      if (result.ok) {
        if (result.body === null) return null;
        const parsed = schema.safeParse(result.body);
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0];
        throw new OpenAlexError(`Unexpected response from OpenAlex for ${what}: ${issue?.path.join(".")}: ${issue?.message}`);
      }
      if (attempt > this.maxRetries) {
        const message = result.unreachable
          ? `Cannot reach OpenAlex at ${this.apiUrl}: ${result.reason} (${attempt} attempts)`
          : `OpenAlex kept failing: ${result.reason} for ${what} after ${attempt} attempts`;
        throw new OpenAlexError(message, { status: result.status, attempts: attempt, unreachable: result.unreachable });
      }
      const waitMs = result.retryAfterMs ?? this.backoff(attempt);
      if (waitMs > this.maxRetryAfterMs) {
        throw new OpenAlexError(`OpenAlex asked us to wait ${Math.ceil(waitMs / 1000)} s before retrying ${what} (${result.reason}); giving up`, {
          status: result.status,
          attempts: attempt,
        });
      }
      await this.sleep(waitMs);
    }
  }

  /** One request. `body: null` means a 404 the caller asked to see as "none". */
  private async attempt(url: URL, what: string, notFoundIsNull: boolean): Promise<Attempt> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.mailto) headers["user-agent"] = `peerlink (mailto:${this.mailto})`;
    let res: Response;
    try {
      res = await this.fetchFn(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      return { ok: false, reason: networkReason(error, this.timeoutMs), unreachable: true };
    }
    const allowance = this.observeAllowance && allowanceOf(res.headers);
    if (allowance) this.observeAllowance(allowance);
    if (res.ok) {
      try {
        return { ok: true, body: await res.json() };
      } catch (error) {
        return { ok: false, reason: `unreadable response (${(error as Error).message})`, status: res.status };
      }
    }
    const text = await res.text().catch(() => "");
    if (res.status === 404 && notFoundIsNull) return { ok: true, body: null };
    // OpenAlex documents both 403 and 429 as "slow down".
    if (res.status === 403 || res.status === 429 || res.status >= 500) {
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
      return { ok: false, reason: `HTTP ${res.status}`, status: res.status, ...(retryAfterMs !== undefined && { retryAfterMs }) };
    }
    throw new OpenAlexError(`OpenAlex rejected ${what}: HTTP ${res.status}${errorDetail(text)}`, { status: res.status });
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random, so clients spread out. */
  private backoff(attempt: number): number {
    const step = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(step / 2 + (Math.random() * step) / 2);
  }
}

/** A request's price class: a path naming one entity is a singleton; `search=` a search; else a list. */
export function priceOf(path: string, params: Record<string, string>): PriceClass {
  if (/^\/(?:authors|works|institutions|sources|topics)\/[^/]+$/.test(path)) return "singleton";
  // A search filter (title_and_abstract.search:…) is a search as much as search= is.
  return params.search !== undefined || /(?:^|,)[a-z_.]*\.search(?:\.[a-z_]+)?:/.test(params.filter ?? "") ? "search" : "list";
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function networkReason(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/** OpenAlex errors are JSON like {"error": "...", "message": "..."}; keep one short line of it. */
function errorDetail(text: string): string {
  let detail = text;
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const said = body.message ?? body.error;
    detail = said === undefined ? text : typeof said === "string" ? said : JSON.stringify(said);
  } catch {
    // not JSON: use the text as it is
  }
  detail = detail.replace(/\s+/g, " ").trim().slice(0, 200);
  return detail ? ` (${detail})` : "";
}

// A local stand-in for the OpenAlex REST API, spoken to over real HTTP. It serves the fixtures in
// test/fixtures/openalex (OpenAlex's documented Author and Work objects): singleton authors (by id
// and orcid:), author search, /autocomplete/authors, works by author with cursor paging, sort and
// select, and a work by DOI. It records every request, and can be told to fail (403, 429 +
// Retry-After, 5xx), to hang, to add latency, or to learn a new work at run time (e.g. a paper
// appearing for new-paper notifications).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { searchName } from "../../src/core/text.js";

/** The reference researcher (shared/reference/researcher-profile-page.txt). */
export const FRANKLE = {
  openalexId: "A5100000000",
  orcid: "0000-0000-0000-001X",
  displayName: "Jonathan Frankle",
} as const;

/** An OpenAlex entity as JSON: only `id` is relied on by the stub itself. */
export type OpenAlexJson = { id: string } & Record<string, unknown>;

export interface OpenAlexFixtures {
  authors: OpenAlexJson[];
  works: OpenAlexJson[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** decoded query parameters, e.g. { filter: "author.id:A1|A2", cursor: "*", mailto: "…" } */
  query: Record<string, string>;
  status: number;
}

export interface OpenAlexStub {
  url: string;
  requests: RecordedRequest[];
  /** Answer the next `count` requests with `status` (and a Retry-After of `retryAfterSeconds`). */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  /** Never answer the next `count` requests (the connection stays open until the stub closes). */
  hangNext(count: number): void;
  /** Wait this long before every answer (like a far-away server). */
  latencyMs: number;
  /**
   * The key's daily allowance as the rate-limit headers report it (X-RateLimit-Limit-USD,
   * -Remaining-USD, -Cost-USD on every answer). Each answered request is charged at the documented
   * price; set `remainingUsd` to play other programs sharing the key.
   */
  allowance: { limitUsd: number; remainingUsd: number };
  /** Serve a new (or replace a same-id) work from now on. */
  addWork(work: OpenAlexJson): void;
  addAuthor(author: OpenAlexJson): void;
  close(): Promise<void>;
}

const fixtureDir = new URL("../fixtures/openalex/", import.meta.url);
const readResults = (file: string) => (JSON.parse(readFileSync(new URL(file, fixtureDir), "utf8")) as { results: OpenAlexJson[] }).results;

/**
 * The reference researcher with his 8 real works plus `syntheticWorks` clearly fake ones
 * (default 22, so 30 in all: several pages at per-page=10).
 */
export function loadOpenAlexFixtures(options: { syntheticWorks?: number } = {}): OpenAlexFixtures {
  const synthetic = Array.from({ length: options.syntheticWorks ?? 22 }, (_, i) => syntheticWork(i + 1));
  return {
    authors: [...readResults("authors.json"), ...readResults("live-authors.json")],
    works: [...readResults("works.json"), ...synthetic, ...readResults("live-works.json")],
  };
}

/** Fictional people of live-authors.json (nobody real), for live lookup. */
export const QUILLFEATHER = {
  marta: { openalexId: "A5200000001", orcid: "0000-0000-0000-0028", displayName: "Marta Quillfeather", works: 14 },
  marten: { openalexId: "A5200000002", displayName: "Mårten Quillfeather", works: 3 },
  fragment: { openalexId: "A5200000003", displayName: "M. Quillfeather", works: 1 },
  /** Marta and Mårten's shared paper */
  sharedDoi: "10.5555/fixture.0001",
  /** M. Quillfeather and Marta's preprint */
  arxivId: "2509.99999",
} as const;

/** A made-up work by the reference researcher (and any extra authors), numbered `n`. */
export function syntheticWork(
  n: number,
  extra: { createdDate?: string; coauthors?: { id: string; display_name: string; orcid: string | null }[] } = {},
): OpenAlexJson {
  const id = `https://openalex.org/W91${String(n).padStart(8, "0")}`;
  const created = extra.createdDate ?? new Date(Date.UTC(2018, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const people = [
    { id: `https://openalex.org/${FRANKLE.openalexId}`, display_name: FRANKLE.displayName, orcid: `https://orcid.org/${FRANKLE.orcid}` },
    ...(extra.coauthors ?? []),
  ];
  return {
    id,
    doi: null,
    title: `Synthetic fixture work ${n}`,
    display_name: `Synthetic fixture work ${n}`,
    publication_year: Number(created.slice(0, 4)),
    publication_date: created,
    ids: { openalex: id },
    primary_location: null,
    type: "article",
    authorships: people.map((author, i) => ({
      author_position: i === 0 ? "first" : i === people.length - 1 ? "last" : "middle",
      author,
      institutions: [],
      countries: [],
      is_corresponding: false,
      raw_author_name: author.display_name,
      raw_affiliation_strings: [],
    })),
    cited_by_count: 0,
    topics: [],
    locations: [],
    abstract_inverted_index: null,
    created_date: created,
    updated_date: `${created}T00:00:00.000000`,
  };
}

const shortId = (id: string) => id.replace(/^https?:\/\/openalex\.org\//i, "").toUpperCase();
const bareOrcid = (orcid: unknown) => (typeof orcid === "string" ? orcid.replace(/^https?:\/\/orcid\.org\//i, "") : null);

export async function startOpenAlexStub(fixtures: OpenAlexFixtures = loadOpenAlexFixtures()): Promise<OpenAlexStub> {
  const authors = structuredClone(fixtures.authors);
  const works = structuredClone(fixtures.works);
  const requests: RecordedRequest[] = [];
  const failures: ({ status: number; retryAfterSeconds?: number } | "hang")[] = [];
  const state = { latencyMs: 0 };
  const allowance = { limitUsd: 1, remainingUsd: 1 };

  const server = createServer(async (req, res) => {
    if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
    const url = new URL(req.url ?? "/", "http://stub");
    const query = Object.fromEntries(url.searchParams);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? "GET", path: url.pathname, query, status });
      const cost = status === 200 ? documentedCost(url.pathname, query) : 0;
      allowance.remainingUsd = Math.max(0, allowance.remainingUsd - cost);
      res.writeHead(status, {
        "content-type": "application/json",
        "x-ratelimit-limit-usd": String(allowance.limitUsd),
        "x-ratelimit-remaining-usd": allowance.remainingUsd.toFixed(6),
        "x-ratelimit-cost-usd": String(cost),
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    const failure = failures.shift();
    if (failure === "hang") {
      requests.push({ method: req.method ?? "GET", path: url.pathname, query, status: 0 });
      return;
    }
    if (failure) {
      const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { "retry-after": String(failure.retryAfterSeconds) } : {};
      return reply(failure.status, { error: `Stub failure ${failure.status}`, message: "Told to fail by the test" }, headers);
    }
    if (req.method !== "GET") return reply(405, { error: "Method not allowed" });
    route(url, query, { authors, works }, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, status, retryAfterSeconds) {
      for (let i = 0; i < count; i++) failures.push({ status, retryAfterSeconds });
    },
    hangNext(count) {
      for (let i = 0; i < count; i++) failures.push("hang");
    },
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    allowance,
    addWork: (work) => upsertById(works, work),
    addAuthor: (author) => upsertById(authors, author),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Developers.openalex.org, Authentication & Pricing: singletons free, lists $0.10 and searches $1 per 1,000. */
function documentedCost(path: string, query: Record<string, string>): number {
  if (/^\/(?:authors|works)\/[^/]+$/.test(path)) return 0;
  return query.search !== undefined ? 0.001 : 0.0001;
}

function upsertById(list: OpenAlexJson[], entity: OpenAlexJson) {
  const i = list.findIndex((e) => e.id === entity.id);
  if (i >= 0) list[i] = structuredClone(entity);
  else list.push(structuredClone(entity));
}

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

function route(url: URL, query: Record<string, string>, data: OpenAlexFixtures, reply: Reply) {
  const doi = /^\/works\/doi:(.+)$/i.exec(url.pathname);
  if (doi?.[1]) {
    const wanted = decodeURIComponent(doi[1])
      .replace(/^https?:\/\/doi\.org\//i, "")
      .toLowerCase();
    const work = data.works.find((w) => typeof w.doi === "string" && w.doi.toLowerCase().replace(/^https?:\/\/doi\.org\//, "") === wanted);
    return work ? reply(200, work) : reply(404, { error: "404 Not Found", message: `No work doi:${wanted}` });
  }
  if (url.pathname === "/autocomplete/authors") return reply(200, autocomplete(data.authors, query.q ?? ""));
  const single = /^\/authors\/(.+)$/.exec(url.pathname);
  if (single?.[1]) {
    const key = decodeURIComponent(single[1]);
    const author = key.toLowerCase().startsWith("orcid:")
      ? data.authors.find((a) => bareOrcid(a.orcid) === bareOrcid(key.slice(6)))
      : data.authors.find((a) => shortId(a.id) === shortId(key));
    return author ? reply(200, author) : reply(404, { error: "404 Not Found", message: `No author ${key}` });
  }
  const perPage = Number(query["per-page"] ?? query.per_page ?? 25);
  // The current documentation caps per-page at 100 (older pages said 200).
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    return reply(400, { error: "Invalid query parameters error.", message: "per-page must be between 1 and 100" });
  }
  if (query.cursor !== undefined && query.cursor !== "*" && decodeCursor(query.cursor) === null) {
    return reply(400, { error: "Invalid query parameters error.", message: "Invalid cursor" });
  }
  if (url.pathname === "/authors") return reply(200, listResponse(searchAuthors(data.authors, query.search ?? ""), perPage, query));
  if (url.pathname === "/works") {
    const filtered = filterWorks(data.works, query.filter ?? "");
    if (typeof filtered === "string") return reply(400, { error: "Invalid query parameters error.", message: filtered });
    if (query.sort !== undefined && query.sort !== "publication_date:desc") {
      return reply(400, { error: "Invalid query parameters error.", message: `${query.sort} is not a sort the stub knows` });
    }
    const sorted = query.sort ? [...filtered].sort((x, y) => String(y.publication_date).localeCompare(String(x.publication_date))) : filtered;
    const page = listResponse(sorted, perPage, query);
    return reply(200, query.select ? { ...page, results: page.results.map((w) => selectFields(w, query.select!)) } : page);
  }
  reply(404, { error: "404 Not Found", message: `No route ${url.pathname}` });
}

/** `select=a,b`: only those top-level fields, as OpenAlex does. */
function selectFields(entity: OpenAlexJson, select: string): OpenAlexJson {
  const fields = select.split(",").map((f) => f.trim());
  return Object.fromEntries(Object.entries(entity).filter(([k]) => fields.includes(k))) as OpenAlexJson;
}

/** /autocomplete/authors: names with a word starting like the query's last word, up to ten. */
function autocomplete(authors: OpenAlexJson[], q: string) {
  const words = searchName(q).split(" ").filter(Boolean);
  const results = authors
    .filter((a) => {
      const name = searchName(String(a.display_name)).split(" ");
      return words.length > 0 && words.every((w, i) => name.some((n) => (i === words.length - 1 ? n.startsWith(w) : n === w)));
    })
    .sort((x, y) => Number(y.cited_by_count ?? 0) - Number(x.cited_by_count ?? 0))
    .slice(0, 10)
    .map((a) => ({
      id: a.id,
      short_id: `authors/${shortId(a.id)}`,
      display_name: a.display_name,
      hint: ((a.last_known_institutions as { display_name: string }[] | undefined) ?? [])[0]?.display_name ?? null,
      cited_by_count: a.cited_by_count ?? 0,
      works_count: a.works_count ?? 0,
      entity_type: "author",
      external_id: a.orcid ?? null,
      filter_key: "authorships.author.id",
    }));
  return { meta: { count: results.length, db_response_time_ms: 1, page: 1, per_page: 10 }, results };
}

/** Every query word must appear in a name; exact display-name matches rank first. */
function searchAuthors(authors: OpenAlexJson[], search: string): OpenAlexJson[] {
  const words = searchName(search).split(" ").filter(Boolean);
  return authors
    .map((a) => {
      const names = [a.display_name, ...((a.display_name_alternatives as unknown[]) ?? [])].map((n) => searchName(String(n)));
      const matches = words.length > 0 && words.every((w) => names.some((n) => n.split(" ").includes(w)));
      const relevance_score = names[0] === words.join(" ") ? 2 : 1;
      return matches ? { ...a, relevance_score } : null;
    })
    .filter((a): a is OpenAlexJson & { relevance_score: number } => a !== null)
    .sort((x, y) => y.relevance_score - x.relevance_score);
}

/** The two filters the importer and ingest use; anything else is refused, as OpenAlex refuses typos. */
function filterWorks(works: OpenAlexJson[], filter: string): OpenAlexJson[] | string {
  let result = works;
  for (const clause of filter.split(",").filter(Boolean)) {
    const colon = clause.indexOf(":");
    const [key, value] = [clause.slice(0, colon), clause.slice(colon + 1)];
    if (key === "author.id" || key === "authorships.author.id") {
      const ids = new Set(value.split("|").map(shortId));
      result = result.filter((w) => (w.authorships as { author: { id: string } }[]).some((a) => ids.has(shortId(a.author.id))));
    } else if (key === "from_created_date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value} is not a valid date`;
      result = result.filter((w) => String(w.created_date).slice(0, 10) >= value);
    } else {
      return `${key} is not a filter the stub knows`;
    }
  }
  return result;
}

/** OpenAlex list response; with `cursor` the walk ends on an empty page whose next_cursor is null. */
function listResponse(items: OpenAlexJson[], perPage: number, query: Record<string, string>) {
  const meta = { count: items.length, db_response_time_ms: 1, page: null as number | null, per_page: perPage, groups_count: null };
  if (query.cursor === undefined) {
    const page = Number(query.page ?? 1);
    return { meta: { ...meta, page }, results: items.slice((page - 1) * perPage, page * perPage), group_by: [] };
  }
  const offset = query.cursor === "*" ? 0 : (decodeCursor(query.cursor) ?? 0);
  const results = items.slice(offset, offset + perPage);
  const next_cursor = results.length > 0 ? Buffer.from(JSON.stringify({ offset: offset + results.length })).toString("base64url") : null;
  return { meta: { ...meta, next_cursor }, results, group_by: [] };
}

function decodeCursor(cursor: string): number | null {
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { offset: unknown };
    return Number.isInteger(offset) && (offset as number) >= 0 ? (offset as number) : null;
  } catch {
    return null;
  }
}

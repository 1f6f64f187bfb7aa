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
  /**
   * Whether the key is on a paid plan: OpenAlex keeps from_created_date and from_updated_date for
   * those (developers.openalex.org, Sync: "Premium API filters"); a free key is refused them.
   */
  premium: boolean;
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
  extra: {
    createdDate?: string;
    /** default: the created date (a paper indexed late has an older one) */
    publicationDate?: string;
    coauthors?: { id: string; display_name: string; orcid: string | null }[];
    /** leave out the reference researcher (a work by others only) */
    withoutFrankle?: boolean;
    title?: string;
    abstract?: string;
    type?: string;
    venue?: string;
    topics?: { id: string; display_name: string }[];
    /** institutions of the first author */
    institutions?: { id: string; display_name: string }[];
    referencedWorks?: string[];
  } = {},
): OpenAlexJson {
  const id = `https://openalex.org/W91${String(n).padStart(8, "0")}`;
  const created = extra.createdDate ?? new Date(Date.UTC(2018, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const people = [
    ...(extra.withoutFrankle
      ? []
      : [{ id: `https://openalex.org/${FRANKLE.openalexId}`, display_name: FRANKLE.displayName, orcid: `https://orcid.org/${FRANKLE.orcid}` }]),
    ...(extra.coauthors ?? []),
  ];
  const published = extra.publicationDate ?? created;
  const title = extra.title ?? `Synthetic fixture work ${n}`;
  return {
    id,
    doi: null,
    title,
    display_name: title,
    publication_year: Number(published.slice(0, 4)),
    publication_date: published,
    ids: { openalex: id },
    primary_location: extra.venue ? { landing_page_url: null, pdf_url: null, source: { id: null, display_name: extra.venue } } : null,
    type: extra.type ?? "article",
    authorships: people.map((author, i) => ({
      author_position: i === 0 ? "first" : i === people.length - 1 ? "last" : "middle",
      author,
      institutions: i === 0 ? (extra.institutions ?? []) : [],
      countries: [],
      is_corresponding: false,
      raw_author_name: author.display_name,
      raw_affiliation_strings: [],
    })),
    cited_by_count: 0,
    topics: (extra.topics ?? []).map((t) => ({ ...t, score: 0.9 })),
    referenced_works: (extra.referencedWorks ?? []).map((w) => `https://openalex.org/${w}`),
    locations: [],
    abstract_inverted_index: extra.abstract ? Object.fromEntries(extra.abstract.split(" ").map((word, i) => [word, [i]])) : null,
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
  const plan = { premium: false };

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
    route(url, query, { authors, works }, reply, plan.premium);
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
    get premium() {
      return plan.premium;
    },
    set premium(value: boolean) {
      plan.premium = value;
    },
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
  if (/^\/(?:authors|works|topics|institutions)\/[^/]+$/.test(path)) return 0;
  return query.search !== undefined || /(?:^|,)[a-z_.]*\.search:/.test(query.filter ?? "") ? 0.001 : 0.0001;
}

function upsertById(list: OpenAlexJson[], entity: OpenAlexJson) {
  const i = list.findIndex((e) => e.id === entity.id);
  if (i >= 0) list[i] = structuredClone(entity);
  else list.push(structuredClone(entity));
}

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

function route(url: URL, query: Record<string, string>, data: OpenAlexFixtures, reply: Reply, premium: boolean) {
  const doi = /^\/works\/doi:(.+)$/i.exec(url.pathname);
  if (doi?.[1]) {
    const wanted = decodeURIComponent(doi[1])
      .replace(/^https?:\/\/doi\.org\//i, "")
      .toLowerCase();
    const work = data.works.find((w) => typeof w.doi === "string" && w.doi.toLowerCase().replace(/^https?:\/\/doi\.org\//, "") === wanted);
    return work ? reply(200, work) : reply(404, { error: "404 Not Found", message: `No work doi:${wanted}` });
  }
  if (url.pathname === "/autocomplete/authors") return reply(200, autocomplete(data.authors, query.q ?? ""));
  const entity = /^\/(topics|institutions)(?:\/(.+))?$/.exec(url.pathname);
  if (entity?.[1]) {
    const all = entitiesOf(data.works, entity[1] as "topics" | "institutions");
    if (entity[2]) {
      const found = all.find((e) => shortId(e.id) === shortId(decodeURIComponent(entity[2]!)));
      return found ? reply(200, found) : reply(404, { error: "404 Not Found", message: `No ${entity[1]} ${entity[2]}` });
    }
    const words = searchName(query.search ?? "")
      .split(" ")
      .filter(Boolean);
    // Every typed word starts a word of the name (OpenAlex stems; this is close enough for the fixtures).
    const matching = all.filter(
      (e) =>
        words.length > 0 &&
        words.every((w) =>
          searchName(String(e.display_name))
            .split(" ")
            .some((n) => n.startsWith(w)),
        ),
    );
    return reply(200, listResponse(matching, Number(query["per-page"] ?? 25), query));
  }
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
    const filtered = filterWorks(data.works, query.filter ?? "", premium);
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

/** The topics or institutions the works name, as /topics and /institutions list them. */
function entitiesOf(works: OpenAlexJson[], kind: "topics" | "institutions"): OpenAlexJson[] {
  const byId = new Map<string, OpenAlexJson & { works_count: number }>();
  for (const w of works) {
    const named =
      kind === "topics"
        ? ((w.topics as OpenAlexJson[] | undefined) ?? [])
        : (w.authorships as { institutions?: OpenAlexJson[] }[]).flatMap((a) => a.institutions ?? []);
    for (const e of new Map(named.map((n) => [n.id, n])).values()) {
      const entry = byId.get(e.id) ?? { id: e.id, display_name: e.display_name, works_count: 0, country_code: e.country_code ?? null };
      entry.works_count++;
      byId.set(e.id, entry);
    }
  }
  return [...byId.values()].sort((x, y) => y.works_count - x.works_count);
}

/** A work's title and abstract as words, for the stub's search filter: every word of one OR-ed alternative must appear. */
function workWords(work: OpenAlexJson): Set<string> {
  const index = (work.abstract_inverted_index as Record<string, number[]> | null) ?? {};
  const title = typeof work.title === "string" ? work.title : "";
  return new Set(searchName(`${title} ${Object.keys(index).join(" ")}`).split(" "));
}

/** OpenAlex allows up to 100 values OR-ed in one filter (developers.openalex.org, Filter). */
const MAX_OR_VALUES = 100;

/**
 * The filters the importer and ingest use, with OpenAlex's rules: OR lists of at most 100 values,
 * dates as YYYY-MM-DD, from_created_date only for paid plans. Anything else is refused, as OpenAlex
 * refuses typos.
 */
function filterWorks(works: OpenAlexJson[], filter: string, premium: boolean): OpenAlexJson[] | string {
  let result = works;
  for (const clause of filter.split(",").filter(Boolean)) {
    const colon = clause.indexOf(":");
    const [key, value] = [clause.slice(0, colon), clause.slice(colon + 1)];
    const values = value.split("|");
    if (values.length > MAX_OR_VALUES) return `Maximum number of values exceeded for ${key}. Decrease values to ${MAX_OR_VALUES} or below.`;
    const ids = new Set(values.map((v) => (/^https?:|^[a-z]\d+$/i.test(v) ? shortId(v) : v)));
    const authorships = (w: OpenAlexJson) => w.authorships as { author: { id: string }; institutions?: { id: string }[] }[];
    if (key === "author.id" || key === "authorships.author.id") {
      result = result.filter((w) => authorships(w).some((a) => ids.has(shortId(a.author.id))));
    } else if (key === "ids.openalex" || key === "openalex") {
      result = result.filter((w) => ids.has(shortId(String(w.id))));
    } else if (key === "topics.id") {
      result = result.filter((w) => ((w.topics as { id: string }[] | undefined) ?? []).some((t) => ids.has(shortId(t.id))));
    } else if (key === "institutions.id" || key === "authorships.institutions.id") {
      result = result.filter((w) => authorships(w).some((a) => (a.institutions ?? []).some((i) => ids.has(shortId(i.id)))));
    } else if (key === "cites") {
      result = result.filter((w) => ((w.referenced_works as string[] | undefined) ?? []).some((r) => ids.has(shortId(r))));
    } else if (key === "title_and_abstract.search") {
      const alternatives = values.map((v) => searchName(v).split(" ").filter(Boolean));
      result = result.filter((w) => {
        const words = workWords(w);
        return alternatives.some((alt) => alt.length > 0 && alt.every((a) => words.has(a)));
      });
    } else if (key === "type") {
      result = result.filter((w) => ids.has(String(w.type)));
    } else if (key === "from_publication_date" || key === "to_publication_date" || key === "from_created_date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value} is not a valid date`;
      if (key === "from_created_date" && !premium) return "from_created_date is only available to premium (paid plan) API keys";
      const field = key === "from_created_date" ? "created_date" : "publication_date";
      result = result.filter((w) => (key.startsWith("to_") ? String(w[field]).slice(0, 10) <= value : String(w[field]).slice(0, 10) >= value));
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

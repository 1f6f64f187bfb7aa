import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  allowanceOf,
  OpenAlexClient,
  priceOf,
  OpenAlexError,
  type OpenAlexClientOptions,
  type UpstreamAllowance,
} from "../../src/sources/openalex/client.js";
import { AuthorNotFoundError, OpenAlexImporter, bestMatch } from "../../src/sources/openalex/importer.js";
import type { OpenAlexAuthor } from "../../src/sources/openalex/schemas.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { FRANKLE, startOpenAlexStub, syntheticWork, type OpenAlexStub } from "../support/openalex-stub.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { testClock } from "../support/clock.js";

const MAILTO = "research-bot@peerlink.test";
const CARBIN = "A5100000013";
/** "Linear Mode Connectivity and the Lottery Ticket Hypothesis" in the fixtures */
const LMC = "W4390000006";
/** 8 reference works (30 authorships) + 22 synthetic single-author works */
const WORKS = 30;
const AUTHORSHIPS = 30 + 22;
const COAUTHORS = 19;

let tdb: TestDatabase;
let stub: OpenAlexStub;

beforeAll(async () => {
  [tdb, stub] = await Promise.all([createTestDatabase(), startOpenAlexStub()]);
});
afterAll(async () => {
  await stub?.close();
  await tdb?.drop();
});
beforeEach(() => {
  stub.requests.length = 0;
  stub.premium = false;
});

/** A client that never really sleeps, recording the waits it asked for. */
function testClient(options: Partial<OpenAlexClientOptions> = {}) {
  const waits: number[] = [];
  const client = new OpenAlexClient({
    apiUrl: stub.url,
    mailto: MAILTO,
    baseDelayMs: 100,
    sleep: async (ms) => void waits.push(ms),
    ...options,
  });
  return { client, waits };
}

async function collect(pages: AsyncIterable<{ works: { id: string }[] }>) {
  const ids: string[] = [];
  for await (const page of pages) ids.push(...page.works.map((w) => w.id));
  return ids;
}

const worksRequests = () => stub.requests.filter((r) => r.path === "/works");

describe("OpenAlexClient", () => {
  it("fetches an author by OpenAlex id, by its URL and by ORCID iD", async () => {
    const { client } = testClient();
    for (const ref of [FRANKLE.openalexId, `https://openalex.org/${FRANKLE.openalexId}`, `https://orcid.org/${FRANKLE.orcid}`]) {
      const author = await client.getAuthor(ref);
      expect(author?.display_name).toBe("Jonathan Frankle");
    }
    expect(stub.requests.map((r) => r.path)).toEqual(["/authors/A5100000000", "/authors/A5100000000", "/authors/orcid:0000-0000-0000-001X"]);
  });

  it("answers null for an author OpenAlex does not know", async () => {
    expect(await testClient().client.getAuthor("A0000000001")).toBeNull();
  });

  it("walks every page of works with cursor=* and each next_cursor until OpenAlex runs out", async () => {
    const ids = await collect(testClient().client.worksOfAuthors([FRANKLE.openalexId], { perPage: 10 }));

    expect(ids).toHaveLength(WORKS);
    expect(new Set(ids).size).toBe(WORKS);
    const cursors = worksRequests().map((r) => r.query.cursor);
    // three full pages, then the empty page on which next_cursor is null
    expect(cursors).toHaveLength(4);
    expect(cursors[0]).toBe("*");
    expect(new Set(cursors).size).toBe(4);
    for (const r of worksRequests()) {
      expect(r.query["per-page"]).toBe("10");
      expect(r.query.filter).toBe("author.id:A5100000000");
    }
  });

  it("ORs several authors into one filter, with an optional from_created_date (for paid plans)", async () => {
    stub.premium = true;
    const ids = await collect(
      testClient().client.worksOfAuthors([`https://openalex.org/${FRANKLE.openalexId}`, CARBIN], {
        fromCreatedDate: "2020-03-01",
      }),
    );

    expect(worksRequests()[0]?.query.filter).toBe("author.id:A5100000000|A5100000013,from_created_date:2020-03-01");
    // the synthetic works were all created in 2018, so only the reference works from March 2020 on remain
    expect(ids).toHaveLength(7);
  });

  it("splits a long id list into batches and yields a work shared across batches once", async () => {
    const fillers = Array.from({ length: 59 }, (_, i) => `A59000000${String(i).padStart(2, "0")}`);
    const ids = [FRANKLE.openalexId, ...fillers.slice(0, 54), CARBIN, ...fillers.slice(54)];

    const works = await collect(testClient().client.worksOfAuthors(ids));

    expect(worksRequests().filter((r) => r.query.cursor === "*")).toHaveLength(2);
    expect(works).toHaveLength(WORKS); // Carbin's two works come back in the second batch too
  });

  it("is refused from_created_date on a free key, as OpenAlex keeps it for paid plans", async () => {
    await expect(collect(testClient().client.worksOfAuthors([FRANKLE.openalexId], { fromCreatedDate: "2020-03-01" }))).rejects.toThrow(
      /HTTP 400.*premium/,
    );
  });

  it("asks for ingest's works in OR lists of 100 values at most, and the stand-in refuses 101 as OpenAlex does", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `A59${String(i).padStart(8, "0")}`);
    const calls: string[] = [];
    for await (const _ of testClient().client.worksWhere("authorships.author.id", [FRANKLE.openalexId, ...ids], {
      and: ["from_publication_date:2015-01-01"],
      onRequest: (price) => calls.push(price),
    }));
    const lists = worksRequests().map((r) => r.query.filter!.split(",")[0]!.split("|").length);
    // 251 ids: three OR lists of one page each (a page short of per-page is the last one).
    expect(lists).toEqual([100, 100, 51]);
    expect(calls.every((c) => c === "list")).toBe(true);
    expect(calls).toHaveLength(worksRequests().length);

    const tooMany = [...Array(101).keys()].map((i) => `A59${String(i).padStart(8, "0")}`).join("|");
    const res = await fetch(`${stub.url}/works?filter=authorships.author.id:${tooMany}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Maximum number of values exceeded/);
  });

  it("prices a search filter as a search", () => {
    expect(priceOf("/works", { filter: "title_and_abstract.search:sparse training" })).toBe("search");
    expect(priceOf("/works", { filter: "topics.id:T1|T2,from_publication_date:2026-01-01" })).toBe("list");
    expect(priceOf("/topics/T1", {})).toBe("singleton");
  });

  it("sends the mailto address with every request", async () => {
    const { client } = testClient();
    await client.getAuthor(FRANKLE.openalexId);
    await client.searchAuthors("Frankle");
    await collect(client.worksOfAuthors([FRANKLE.openalexId], { perPage: 25 }));

    expect(stub.requests.length).toBeGreaterThanOrEqual(4);
    for (const r of stub.requests) expect(r.query.mailto).toBe(MAILTO);
  });

  it("reconstructs abstracts from abstract_inverted_index", async () => {
    let abstract: string | null | undefined;
    for await (const page of testClient().client.worksOfAuthors([FRANKLE.openalexId])) {
      abstract ??= page.works.find((w) => w.id.endsWith(LMC))?.abstract;
    }
    expect(abstract).toMatch(/^We study whether a neural network optimizes to the same, linearly connected minimum/);
    expect(abstract).toMatch(/\(ResNet-50 and Inception-v3 on ImageNet\)\.$/);
  });

  it("waits as long as Retry-After asks after a 429, then succeeds", async () => {
    const { client, waits } = testClient();
    stub.failNext(1, 429, 2);

    const author = await client.getAuthor(FRANKLE.openalexId);

    expect(author?.display_name).toBe("Jonathan Frankle");
    expect(waits).toEqual([2000]);
    expect(stub.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("retries a 5xx with exponential backoff and jitter", async () => {
    const { client, waits } = testClient({ baseDelayMs: 100 });
    stub.failNext(3, 503);

    expect(await client.getAuthor(FRANKLE.openalexId)).not.toBeNull();

    expect(waits).toHaveLength(3);
    waits.forEach((ms, i) => {
      const step = 100 * 2 ** i;
      expect(ms).toBeGreaterThanOrEqual(step / 2);
      expect(ms).toBeLessThanOrEqual(step);
    });
  });

  it("retries in the middle of a cursor walk without losing or repeating a page", async () => {
    const { client } = testClient();
    const pages = client.worksOfAuthors([FRANKLE.openalexId], { perPage: 10 });
    const first = await pages.next();
    stub.failNext(1, 500);
    const rest = await collect({ [Symbol.asyncIterator]: () => pages });

    expect(first.value?.works).toHaveLength(10);
    expect(rest).toHaveLength(WORKS - 10);
  });

  it("gives up after the last retry with an error naming the status and the attempts", async () => {
    const { client, waits } = testClient({ maxRetries: 2 });
    stub.failNext(3, 500);

    const error = await client.getAuthor(FRANKLE.openalexId).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAlexError);
    expect((error as Error).message).toBe("OpenAlex kept failing: HTTP 500 for GET /authors/A5100000000 after 3 attempts");
    expect(waits).toHaveLength(2);
  });

  it("gives up at once when Retry-After asks for longer than it is willing to wait", async () => {
    const { client, waits } = testClient({ maxRetryAfterMs: 60_000 });
    stub.failNext(1, 429, 3600);

    await expect(client.getAuthor(FRANKLE.openalexId)).rejects.toThrow(/asked us to wait 3600 s/);
    expect(waits).toEqual([]);
  });

  it("retries a refused connection, then says OpenAlex cannot be reached", async () => {
    const port = await closedPort();
    const { client, waits } = testClient({ apiUrl: `http://127.0.0.1:${port}`, maxRetries: 2 });

    const error = (await client.getAuthor(FRANKLE.openalexId).catch((e: unknown) => e)) as OpenAlexError;

    expect(error.message).toBe(`Cannot reach OpenAlex at http://127.0.0.1:${port}: ECONNREFUSED (3 attempts)`);
    expect(error.details.unreachable).toBe(true);
    expect(waits).toHaveLength(2);
  });

  it("does not retry a request OpenAlex rejects as malformed", async () => {
    const { client, waits } = testClient();

    await expect(client.searchAuthors("Frankle", { perPage: 500 })).rejects.toThrow(
      "OpenAlex rejected GET /authors?search=Frankle&per-page=500: HTTP 400 (per-page must be between 1 and 100)",
    );
    expect(waits).toEqual([]);
    expect(stub.requests).toHaveLength(1);
  });
});

describe("OpenAlexImporter", () => {
  const db = () => tdb.db;
  // Frozen, so the import's start is a known instant: works_checked_at must be read off this clock.
  const clock = testClock(undefined, { frozen: true });
  const importer = (onProgress?: (done: number, total: number) => void) =>
    new OpenAlexImporter(db(), testClient().client, clock, onProgress, { perPage: 10 });

  beforeEach(async () => {
    await db().$executeRawUnsafe("TRUNCATE researcher, work, topic, institution RESTART IDENTITY CASCADE");
  });

  it("imports an author by OpenAlex id with their current institution and topics", async () => {
    const summary = await importer().importAuthor(FRANKLE.openalexId);

    expect(summary).toMatchObject({ works: WORKS, coauthors: COAUTHORS, topics: 3, displayName: "Jonathan Frankle" });
    const r = await db().researcher.findUniqueOrThrow({
      where: { id: summary.researcherId },
      include: { affiliations: { include: { institution: true } }, topics: { include: { topic: true } } },
    });
    expect(r).toMatchObject({
      displayName: "Jonathan Frankle",
      searchName: "jonathan frankle",
      openalexId: "A5100000000",
      orcid: "0000-0000-0000-001X",
      citedByCount: 9500,
      verificationLevel: 1,
    });
    expect(r.worksCheckedAt).toEqual(clock.now());
    expect(r.affiliations.map((a) => [a.institution.name, a.institution.ror, a.institution.openalexId, a.lastYear])).toEqual([
      ["Massachusetts Institute of Technology", "042nb2s44", "I63966007", 2022],
    ]);
    expect(Object.fromEntries(r.topics.map((t) => [t.topic.name, t.weight]))).toEqual({
      "Neural Network Training Dynamics": 6,
      "Sparse and Low-Rank Neural Networks": 5,
      "AI Research Community and Peer Review": 1,
    });
  });

  it("stores each work with its DOI, arXiv id, venue, dates, abstract and topics", async () => {
    await importer().importAuthor(FRANKLE.openalexId);

    const work = await db().work.findUniqueOrThrow({ where: { openalexId: LMC }, include: { topics: { include: { topic: true } } } });
    expect(work).toMatchObject({
      doi: "10.48550/arxiv.1912.05671",
      arxivId: "1912.05671",
      type: "preprint",
      title: "Linear Mode Connectivity and the Lottery Ticket Hypothesis",
      venue: "arXiv",
      publicationYear: 2020,
      publicationDate: new Date("2020-07-12T00:00:00Z"),
      sourceCreatedAt: new Date("2020-07-14T00:00:00Z"),
    });
    expect(work.abstract).toMatch(/^We study whether a neural network optimizes/);
    expect(work.topics.map((t) => t.topic.name).sort()).toEqual(["Neural Network Training Dynamics", "Sparse and Low-Rank Neural Networks"]);
    expect(await db().work.count()).toBe(WORKS);
  });

  it("stores co-authors as researchers with their OpenAlex ids, in author order", async () => {
    await importer().importAuthor(FRANKLE.openalexId);

    const authorships = await db().authorship.findMany({
      where: { work: { openalexId: LMC } },
      include: { researcher: true },
      orderBy: { position: "asc" },
    });
    expect(authorships.map((a) => [a.position, a.researcher.displayName])).toEqual([
      [1, "Jonathan Frankle"],
      [2, "Gintare Karolina Dziugaite"],
      [3, "Daniel M. Roy"],
      [4, "Michael Carbin"],
    ]);
    expect(authorships[3]?.researcher).toMatchObject({ openalexId: CARBIN, searchName: "michael carbin", verificationLevel: 1 });
    expect(await db().researcher.count()).toBe(1 + COAUTHORS);
  });

  it("imports by ORCID iD, bare or as a URL, into the same researcher", async () => {
    const viaUrl = await importer().importAuthor(`https://orcid.org/${FRANKLE.orcid}`);
    const bare = await importer().importAuthor(FRANKLE.orcid);

    expect(bare.researcherId).toBe(viaUrl.researcherId);
    expect(stub.requests.filter((r) => r.path.startsWith("/authors/")).map((r) => r.path)).toEqual([
      "/authors/orcid:0000-0000-0000-001X",
      "/authors/orcid:0000-0000-0000-001X",
    ]);
    expect(await db().researcher.count({ where: { orcid: FRANKLE.orcid } })).toBe(1);
  });

  it("imports by name, taking the best match from OpenAlex's search", async () => {
    const summary = await importer().importAuthor("Jonathan Frankle");

    expect(summary.openalexId).toBe(FRANKLE.openalexId);
    expect(stub.requests[0]).toMatchObject({ path: "/authors", query: { search: "Jonathan Frankle" } });
  });

  it("prefers the exact, fuller profile when OpenAlex has split one person in several", () => {
    const profile = (id: string, name: string, works: number, alternatives: string[] = []) =>
      ({ id, display_name: name, display_name_alternatives: alternatives, works_count: works }) as OpenAlexAuthor;
    const split = profile("A2", "Jonathan Frankle", 2);
    const main = profile("A1", "Jonathan Frankle", 30);
    const initials = profile("A3", "J. Frankle", 90, ["Jonathan Frankle"]);

    expect(bestMatch("jonathan  FRANKLE", [initials, split, main])?.id).toBe("A1");
    expect(bestMatch("J. Frankle", [main, initials])?.id).toBe("A3");
    expect(bestMatch("Frankle", [split, main])?.id).toBe("A1");
    expect(bestMatch("Frankle", [])).toBeUndefined();
  });

  it("refuses an unknown id, an ORCID iD with a wrong check digit and a name nobody has", async () => {
    await expect(importer().importAuthor("A0000000001")).rejects.toThrow(new AuthorNotFoundError("No OpenAlex author has the id A0000000001."));
    await expect(importer().importAuthor("0000-0002-6461-3155")).rejects.toThrow(/not a valid ORCID iD/);
    await expect(importer().importAuthor("Nobody Atall")).rejects.toThrow('No OpenAlex author matches the name "Nobody Atall".');
    expect(await db().researcher.count()).toBe(0);
  });

  it("reports progress as works are stored", async () => {
    const calls: [number, number][] = [];
    await importer((done, total) => calls.push([done, total])).importAuthor(FRANKLE.openalexId);

    expect(calls[0]).toEqual([0, WORKS]);
    expect(calls.at(-1)).toEqual([WORKS, WORKS]);
    expect(calls.map(([done]) => done)).toEqual(Array.from({ length: WORKS + 1 }, (_, i) => i));
  });

  it("changes nothing when the same author is imported again", async () => {
    const first = await importer().importAuthor(FRANKLE.openalexId);
    const before = await snapshot(first.researcherId);
    const second = await importer().importAuthor(FRANKLE.openalexId);

    expect(second).toEqual(first);
    expect(await snapshot(first.researcherId)).toEqual(before);
    expect(before.counts).toMatchObject({ researcher: 1 + COAUTHORS, work: WORKS, authorship: AUTHORSHIPS, topic: 3 });
  });

  it("reuses the co-author's row when that co-author is imported later", async () => {
    await importer().importAuthor(FRANKLE.openalexId);
    const asCoauthor = await db().researcher.findUniqueOrThrow({ where: { openalexId: CARBIN } });

    const summary = await importer().importAuthor(CARBIN);

    expect(summary).toMatchObject({ researcherId: asCoauthor.id, works: 2, coauthors: 4, topics: 1 });
    expect(await db().researcher.findUniqueOrThrow({ where: { id: asCoauthor.id } })).toMatchObject({ citedByCount: 4200 });
    expect(await db().researcher.count()).toBe(1 + COAUTHORS);
    expect(await db().work.count()).toBe(WORKS);
  });

  it("adopts rows another source made: a work with the same arXiv id, a person with the same ORCID iD", async () => {
    const person = await db().researcher.create({
      data: { displayName: "J. Frankle", searchName: "j frankle", orcid: FRANKLE.orcid, verificationLevel: 2 },
    });
    const work = await db().work.create({
      data: { type: "preprint", title: "Comparing Rewinding and Fine-tuning", arxivId: "2003.02389", publicationYear: 2020 },
    });

    const summary = await importer().importAuthor(FRANKLE.openalexId);

    expect(summary.researcherId).toBe(person.id);
    expect(await db().researcher.findUniqueOrThrow({ where: { id: person.id } })).toMatchObject({
      openalexId: FRANKLE.openalexId,
      displayName: "Jonathan Frankle",
      verificationLevel: 2, // a claim's level is never lowered by an import
    });
    expect(await db().work.findUniqueOrThrow({ where: { id: work.id } })).toMatchObject({
      openalexId: "W4390000005",
      title: "Comparing Rewinding and Fine-tuning in Neural Network Pruning",
      doi: "10.48550/arxiv.2003.02389",
    });
    expect(await db().work.count()).toBe(WORKS);
  });

  it("turns the demo seed's co-authors and works into the imported ones, so seeding and importing in any order adds no duplicates", async () => {
    const seeded = await seedDemo(db());
    const summary = await importer().importAuthor(FRANKLE.openalexId);

    expect(summary.researcherId).toBe(seeded.researcherId);
    expect(await db().researcher.count()).toBe(1 + COAUTHORS);
    expect(await db().work.count()).toBe(WORKS);
    expect(await db().researcher.count({ where: { openalexId: { startsWith: "demo:" } } })).toBe(0);
    const carbin = await db().researcher.findUniqueOrThrow({ where: { openalexId: CARBIN } });
    expect(carbin.displayName).toBe("Michael Carbin");

    await seedDemo(db());
    expect(await db().researcher.count()).toBe(1 + COAUTHORS);
    expect(await db().work.count()).toBe(WORKS);
    expect(await db().authorship.count()).toBe(AUTHORSHIPS);
  });

  it("picks up a work added to OpenAlex since, with a co-author's ORCID iD in bare form", async () => {
    await importer().importAuthor(FRANKLE.openalexId);
    const carberry = { id: "https://openalex.org/A5100000099", display_name: "Josiah Carberry", orcid: "https://orcid.org/0000-0002-1825-0097" };
    const extra = await startOpenAlexStub();
    try {
      extra.addWork(syntheticWork(100, { createdDate: "2025-05-01", coauthors: [carberry] }));
      const client = new OpenAlexClient({ apiUrl: extra.url, sleep: async () => {} });

      const summary = await new OpenAlexImporter(db(), client, testClock()).importAuthor(FRANKLE.openalexId);

      expect(summary.works).toBe(WORKS + 1);
      expect(await db().researcher.findUniqueOrThrow({ where: { openalexId: "A5100000099" } })).toMatchObject({
        orcid: "0000-0002-1825-0097",
        displayName: "Josiah Carberry",
      });
      expect(await db().work.findUniqueOrThrow({ where: { openalexId: "W9100000100" } })).toMatchObject({
        sourceCreatedAt: new Date("2025-05-01T00:00:00Z"),
        venue: null,
        doi: null,
        abstract: null,
      });
    } finally {
      await extra.close();
    }
  });
});

// Each test starts a real process (tsx compiling the script), which takes seconds on a busy machine.
describe("npm run import -- author <ref>", { timeout: 90_000 }, () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // what `npm run import --` runs, without npm's own start-up
      execFile(
        "node_modules/.bin/tsx",
        ["scripts/import.ts", ...args],
        {
          cwd: root,
          env: { ...process.env, DATABASE_URL: tdb.url, OPENALEX_API_URL: stub.url, OPENALEX_MAILTO: MAILTO, ...env },
        },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeEach(async () => {
    await tdb.db.$executeRawUnsafe("TRUNCATE researcher, work, topic, institution RESTART IDENTITY CASCADE");
  });

  it("imports the author into DATABASE_URL from OPENALEX_API_URL and prints a one-line summary", async () => {
    const { code, stdout } = await run(["author", FRANKLE.openalexId]);

    expect(code).toBe(0);
    expect(stdout.trim()).toBe("Imported Jonathan Frankle (A5100000000): 30 works, 19 co-authors, 3 topics.");
    expect(await tdb.db.work.count()).toBe(WORKS);
    expect(await tdb.db.researcher.count({ where: { openalexId: FRANKLE.openalexId, verificationLevel: 1 } })).toBe(1);
    expect(stub.requests.every((r) => r.query.mailto === MAILTO)).toBe(true);
  });

  it("exits 1 with a one-line message when OpenAlex has no such author", async () => {
    const { code, stdout, stderr } = await run(["author", "A0000000001"]);

    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe("No OpenAlex author has the id A0000000001.");
  });

  it("exits 1 with a one-line message when OpenAlex cannot be reached", async () => {
    const port = await closedPort();
    const { code, stderr } = await run(["author", FRANKLE.openalexId], { OPENALEX_API_URL: `http://127.0.0.1:${port}` });

    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`Cannot reach OpenAlex at http://127.0.0.1:${port}: ECONNREFUSED (4 attempts)`);
  });

  it("prints usage on bad arguments", async () => {
    const { code, stderr } = await run(["authr", "Frankle"]);

    expect(code).toBe(2);
    expect(stderr).toMatch(/^Usage: npm run import -- author <OpenAlex id \| ORCID \| name>/);
  });
});

/** Every row the importer writes, minus the one timestamp a re-import should move. */
async function snapshot(researcherId: number) {
  const d = tdb.db;
  const researchers = (await d.researcher.findMany({ orderBy: { id: "asc" } })).map((r) =>
    r.id === researcherId ? { ...r, worksCheckedAt: null, updatedAt: null } : r,
  );
  return {
    researchers,
    works: await d.work.findMany({ orderBy: { id: "asc" } }),
    authorships: await d.authorship.findMany({ orderBy: [{ workId: "asc" }, { researcherId: "asc" }] }),
    workTopics: await d.workTopic.findMany({ orderBy: [{ workId: "asc" }, { topicId: "asc" }] }),
    topics: await d.topic.findMany({ orderBy: { id: "asc" } }),
    researcherTopics: await d.researcherTopic.findMany({ orderBy: [{ researcherId: "asc" }, { topicId: "asc" }] }),
    institutions: await d.institution.findMany({ orderBy: { id: "asc" } }),
    affiliations: await d.affiliation.findMany({ orderBy: [{ researcherId: "asc" }, { institutionId: "asc" }] }),
    counts: {
      researcher: await d.researcher.count(),
      work: await d.work.count(),
      authorship: await d.authorship.count(),
      topic: await d.topic.count(),
    },
  };
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("OpenAlexClient manners", () => {
  it("reads the documented rate-limit headers of every answer, and ignores absent or unreadable ones", async () => {
    const seen: UpstreamAllowance[] = [];
    const { client } = testClient({ observeAllowance: (a) => void seen.push(a) });
    stub.allowance.remainingUsd = 0.5;
    await client.searchAuthors("Frankle");
    await client.getAuthor(FRANKLE.openalexId);
    expect(seen).toEqual([
      { limitUsd: 1, remainingUsd: 0.499, costUsd: 0.001 },
      { limitUsd: 1, remainingUsd: 0.499, costUsd: 0 },
    ]);
    stub.allowance.remainingUsd = 1;
    const headers = (h: Record<string, string>) => allowanceOf(new Headers(h));
    expect(headers({})).toBeUndefined();
    expect(headers({ "x-ratelimit-limit-usd": "1", "x-ratelimit-remaining-usd": "lots" })).toBeUndefined();
    expect(headers({ "x-ratelimit-limit-usd": "10", "x-ratelimit-remaining-usd": "9.25" })).toEqual({ limitUsd: 10, remainingUsd: 9.25 });
  });

  it("sends api_key, retries 403 like 429, and asks the meter before every attempt", async () => {
    const prices: string[] = [];
    const { client, waits } = testClient({ apiKey: "k-123", meter: async (p) => void prices.push(p) });
    stub.failNext(1, 403);
    await client.getAuthor(FRANKLE.openalexId);
    await client.searchAuthors("Frankle");
    await client.recentWorks(FRANKLE.openalexId, 5);
    expect(waits).toHaveLength(1);
    expect(prices).toEqual(["singleton", "singleton", "search", "list"]);
    expect(stub.requests.every((r) => r.query.api_key === "k-123")).toBe(true);
    const recent = stub.requests.at(-1)!;
    expect(recent.query).toMatchObject({ sort: "publication_date:desc", "per-page": "5" });
    expect(recent.query.select).toContain("authorships");
  });
});

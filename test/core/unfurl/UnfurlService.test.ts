import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProfileService } from "../../../src/core/profiles/ProfileService.js";
import { parseScholarlyLink, UnfurlService } from "../../../src/core/unfurl/UnfurlService.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { FRANKLE } from "../../support/openalex-stub.js";

describe("parseScholarlyLink", () => {
  it.each([
    ["https://openalex.org/A5100000000", { kind: "researcher", openalexId: "A5100000000" }],
    ["https://openalex.org/authors/a5100000000", { kind: "researcher", openalexId: "A5100000000" }],
    ["https://openalex.org/W2963403868", { kind: "work", openalexId: "W2963403868" }],
    ["https://orcid.org/0000-0000-0000-001X", { kind: "researcher", orcid: "0000-0000-0000-001X" }],
    ["https://arxiv.org/abs/2003.02389v3", { kind: "work", arxivId: "2003.02389" }],
    ["https://arxiv.org/pdf/2003.02389.pdf", { kind: "work", arxivId: "2003.02389" }],
    ["https://doi.org/10.1000/ABC.123", { kind: "work", doi: "10.1000/abc.123" }],
    ["https://dx.doi.org/10.1000/xyz", { kind: "work", doi: "10.1000/xyz" }],
  ])("recognises %s", (url, expected) => {
    expect(parseScholarlyLink(url)).toEqual(expected);
  });

  it.each([
    "https://example.org/A5100000000",
    "https://openalex.org/institutions/I123",
    "https://doi.org/11.1/x",
    "not a url",
    "https://orcid.org/my-profile",
  ])("ignores %s", (url) => {
    expect(parseScholarlyLink(url)).toBeNull();
  });
});

describe("UnfurlService", () => {
  let tdb: TestDatabase;
  let unfurls: UnfurlService;
  let researcherId: number;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    ({ researcherId } = await seedDemo(tdb.db));
    // The demo record carries no persistent ids; give it the stand-in's, as an import from OpenAlex would.
    await tdb.db.researcher.update({ where: { id: researcherId }, data: { openalexId: FRANKLE.openalexId, orcid: FRANKLE.orcid } });
    unfurls = new UnfurlService(tdb.db, new ProfileService(tdb.db));
  });
  afterAll(async () => tdb?.drop());

  it("turns a known researcher's link into a compact card with a way to open the profile", async () => {
    const r = await tdb.db.researcher.findUniqueOrThrow({ where: { id: researcherId } });
    const card = await unfurls.unfurl(`https://orcid.org/${r.orcid}`);
    expect(card?.title).toBe("Jonathan Frankle");
    expect(card!.items.length).toBeLessThanOrEqual(1);
    expect(card!.fields.map((f) => f.label)).toEqual(expect.arrayContaining(["Trust", "Verification"]));
    expect(card!.actions).toContainEqual({ id: "lookup", label: "Open profile", value: String(researcherId) });
  });

  it("turns a known work's link into a card naming its authors", async () => {
    const work = await tdb.db.work.findFirstOrThrow({ where: { arxivId: { not: null } } });
    const card = await unfurls.unfurl(`https://arxiv.org/abs/${work.arxivId}`);
    expect(card?.title).toBe(work.title);
    expect(card!.fields.find((f) => f.label === "Authors")?.value).toContain("Jonathan Frankle");
    expect(card!.actions.every((a) => a.id === "lookup")).toBe(true);
  });

  it("returns null for links Peerlink does not know", async () => {
    expect(await unfurls.unfurl("https://openalex.org/A0000000001")).toBeNull();
    expect(await unfurls.unfurl("https://doi.org/10.9999/nothing")).toBeNull();
    expect(await unfurls.unfurl("https://example.org/")).toBeNull();
  });
});

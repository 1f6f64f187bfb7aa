// Streams a SyntheticGraph into Postgres with COPY FROM STDIN, generating rows as it goes so memory
// stays flat whatever the size.
//
// The whole load is one transaction: foreign keys around the graph tables and every index on the
// big tables are dropped, the rows are copied, then the indexes are rebuilt and the foreign keys
// re-added (which re-validates them). A failure or Ctrl-C rolls everything back, schema included.
// The tables are locked for the duration: this is a tool for benchmark and development databases.
//
// Ids: the graph's local indexes are offset past both max(id) and the sequence's last value, and
// the sequences are advanced past the new rows before any row is written, so existing rows (the
// demo seed) and rows inserted later through Prisma never collide with synthetic ones.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { isoTimestamp, utcTimestamp } from "../../db/timestamps.js";
import { LoadConstraints } from "./constraints.js";
import { SyntheticGraph, type SyntheticGraphOptions } from "./generator.js";
import { deleteSyntheticRows } from "./reset.js";

/** Tables the graph writes to; foreign keys into or out of them are set aside during the load. */
const GRAPH_TABLES = ["researcher", "institution", "topic", "affiliation", "researcher_topic", "work", "authorship", "work_topic"] as const;
type GraphTable = (typeof GRAPH_TABLES)[number];
/** Tables big enough that rebuilding their indexes beats maintaining them row by row. */
const BULK_TABLES = ["researcher", "affiliation", "researcher_topic", "work", "authorship", "work_topic"];
const CHUNK_CHARS = 1 << 20;

export type LoadProgress =
  | { step: "reset" }
  | { step: "copy"; table: string; researchersDone: number; researchers: number; rows: number }
  | { step: "index"; name: string; done: number; total: number }
  | { step: "analyze" };

export interface LoadOptions extends SyntheticGraphOptions {
  /** Delete a previous synthetic graph (openalex_id LIKE 'S%') first; without it, one present is an error. */
  reset?: boolean;
  /** Finish with VACUUM ANALYZE (default true): realistic plans and index-only scans for benchmarks. */
  vacuum?: boolean;
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadSummary {
  seed: number;
  rows: Record<GraphTable, number>;
  /** Rows removed by `reset`, per table. */
  deleted: Record<string, number>;
  /** Database id of the first synthetic researcher and work; the rest follow consecutively. */
  firstIds: { researcher: number; work: number };
  timings: { step: string; seconds: number }[];
  seconds: number;
}

export class SyntheticDataExistsError extends Error {
  override name = "SyntheticDataExistsError";
}

export async function loadSyntheticGraph(databaseUrl: string, options: LoadOptions): Promise<LoadSummary> {
  const graph = new SyntheticGraph(options);
  const progress = options.onProgress ?? (() => {});
  const started = performance.now();
  const timings: LoadSummary["timings"] = [];
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await work();
    timings.push({ step, seconds: (performance.now() - t) / 1000 });
    return result;
  };

  const client = new pg.Client({ connectionString: databaseUrl, application_name: "peerlink-synth" });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL maintenance_work_mem = '1GB'");
    await client.query(`LOCK TABLE ${GRAPH_TABLES.join(", ")} IN ACCESS EXCLUSIVE MODE`);
    await refuseSecondGraph(client, options.reset ?? false);

    // The card counts' triggers would recount co-authors for every batch; one rebuild at the end instead.
    await setCountTriggers(client, "DISABLE");
    const constraints = await LoadConstraints.capture(client, [...GRAPH_TABLES], BULK_TABLES);
    await constraints.dropForeignKeys(client);
    let deleted: Record<string, number> = {};
    if (options.reset) {
      progress({ step: "reset" });
      deleted = await timed("reset", () => deleteSyntheticRows(client, constraints.foreignKeys));
    }
    await constraints.dropIndexes(client);

    const ids: IdMap = {
      researcherBase: await reserveIds(client, "researcher", graph.researcherCount),
      workBase: await reserveIds(client, "work", graph.totalWorks()),
      topics: await timed("topic", () => insertTopics(client, graph)),
      institutions: await timed("institution", () => insertInstitutions(client, graph)),
    };
    // One set-based insert of the distinct names beats a million trigger calls.
    await client.query("ALTER TABLE researcher DISABLE TRIGGER researcher_name_sync");
    const rows = await copyGraph(graph, ids, (job) => timed(job.table, () => copyRows(client, job, progress)));
    await timed("researcher names", async () => {
      await client.query("INSERT INTO researcher_name (search_name) SELECT DISTINCT search_name FROM researcher ON CONFLICT DO NOTHING");
      await client.query(
        "INSERT INTO name_token (token) SELECT DISTINCT t FROM researcher_name, unnest(tokens) AS t WHERE t <> '' ON CONFLICT DO NOTHING",
      );
    });
    await client.query("ALTER TABLE researcher ENABLE TRIGGER researcher_name_sync");

    await timed("indexes and foreign keys", () => constraints.restore(client, (name, done, total) => progress({ step: "index", name, done, total })));
    // Name search depends on this index; make sure it exists even if it was missing before.
    await client.query(`CREATE INDEX IF NOT EXISTS researcher_search_name_trgm ON researcher USING GIN (search_name gin_trgm_ops)`);
    await timed("card counts", async () => {
      await client.query("SELECT researcher_counts_rebuild()");
      await setCountTriggers(client, "ENABLE");
    });
    await client.query("COMMIT");

    progress({ step: "analyze" });
    const vacuum = options.vacuum ?? true;
    await timed(vacuum ? "vacuum analyze" : "analyze", () => client.query(`${vacuum ? "VACUUM (ANALYZE)" : "ANALYZE"} ${GRAPH_TABLES.join(", ")}`));
    return {
      seed: graph.seed,
      rows,
      deleted,
      firstIds: { researcher: ids.researcherBase + 1, work: ids.workBase + 1 },
      timings,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** The researcher_counts triggers (migration researcher_counts) on the tables the loader fills. */
async function setCountTriggers(client: pg.Client, state: "ENABLE" | "DISABLE"): Promise<void> {
  for (const t of ["researcher_counts_authorship_insert", "researcher_counts_authorship_delete", "researcher_counts_authorship_move"]) {
    await client.query(`ALTER TABLE authorship ${state} TRIGGER ${t}`);
  }
  await client.query(`ALTER TABLE researcher_topic ${state} TRIGGER researcher_counts_topic`);
}

async function refuseSecondGraph(client: pg.Client, reset: boolean): Promise<void> {
  const { rows } = await client.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM researcher WHERE openalex_id LIKE 'S%')
         OR EXISTS (SELECT 1 FROM work WHERE openalex_id LIKE 'S%') AS present`,
  );
  if (rows[0]!.present && !reset) {
    throw new SyntheticDataExistsError("The database already holds synthetic researchers or works (openalex_id LIKE 'S%').");
  }
}

/** Local graph indexes → database ids. */
interface IdMap {
  researcherBase: number;
  workBase: number;
  topics: Map<number, number>;
  /** In local index order. */
  institutions: number[];
}

type CopyTable = <T>(job: CopyJob<T>) => Promise<number>;

/** One COPY per table, in dependency order; each pass regenerates what it needs from the graph. */
async function copyGraph(graph: SyntheticGraph, ids: IdMap, copy: CopyTable): Promise<Record<GraphTable, number>> {
  const researcher = (i: number) => ids.researcherBase + i;
  const work = (w: number) => ids.workBase + w;
  const topic = (t: number) => ids.topics.get(t)!;
  const researchers = graph.researcherCount;
  const loadedAt = utcTimestamp(new Date());
  return {
    topic: ids.topics.size,
    institution: ids.institutions.length,
    researcher: await copy({
      table: "researcher",
      columns: "id, display_name, search_name, openalex_id, orcid, open_to_collaborate, verification_level, cited_by_count, created_at, updated_at",
      rows: graph.researchers(),
      line: (r) =>
        `${researcher(r.index)}\t${text(r.displayName)}\t${text(r.searchName)}\t${r.openalexId}\t${r.orcid ?? NULL}\t` +
        `${r.openToCollaborate ? "t" : "f"}\t${r.verificationLevel}\t${r.citedByCount}\t${loadedAt}\t${loadedAt}\n`,
      researcherOf: (r) => r.index,
      researchers,
    }),
    affiliation: await copy({
      table: "affiliation",
      columns: "researcher_id, institution_id, last_year",
      rows: graph.affiliations(),
      line: (a) => `${researcher(a.researcher)}\t${ids.institutions[a.institution - 1]}\t${a.lastYear}\n`,
      researcherOf: (a) => a.researcher,
      researchers,
    }),
    researcher_topic: await copy({
      table: "researcher_topic",
      columns: "researcher_id, topic_id, weight",
      rows: graph.researcherTopics(),
      line: (t) => `${researcher(t.researcher)}\t${topic(t.topic)}\t${t.weight}\n`,
      researcherOf: (t) => t.researcher,
      researchers,
    }),
    work: await copy({
      table: "work",
      columns: "id, openalex_id, doi, type, title, abstract, publication_year, publication_date, venue, source_created_at",
      rows: graph.works(),
      line: (w) =>
        `${work(w.index)}\t${w.openalexId}\t${w.doi ?? NULL}\t${w.type}\t${text(w.title)}\t${text(w.abstract)}\t` +
        `${w.year}\t${w.publicationDate}\t${text(w.venue)}\t${isoTimestamp(w.sourceCreatedAt)}\n`,
      researcherOf: (w) => w.lead,
      researchers,
    }),
    authorship: await copy({
      table: "authorship",
      columns: "work_id, researcher_id, position",
      rows: graph.workPlans(),
      line: (w) => w.authors.map((a, p) => `${work(w.index)}\t${researcher(a)}\t${p + 1}\n`).join(""),
      researcherOf: (w) => w.lead,
      researchers,
    }),
    work_topic: await copy({
      table: "work_topic",
      columns: "work_id, topic_id",
      rows: graph.workPlans(),
      line: (w) => w.topics.map((t) => `${work(w.index)}\t${topic(t)}\n`).join(""),
      researcherOf: (w) => w.lead,
      researchers,
    }),
  };
}

/**
 * Returns an id base past every existing row and every id the sequence has handed out, and moves
 * the sequence past base + count now. Sequences are not transactional: on rollback the range is
 * merely skipped, never reused.
 */
async function reserveIds(client: pg.Client, table: string, count: number): Promise<number> {
  const { rows: seq } = await client.query<{ name: string }>(`SELECT pg_get_serial_sequence($1, 'id') AS name`, [table]);
  const sequence = seq[0]!.name;
  const { rows } = await client.query<{ base: number }>(
    `SELECT GREATEST((SELECT COALESCE(max(id), 0) FROM ${table}),
                     (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM ${sequence}))::int AS base`,
  );
  const base = rows[0]!.base;
  await client.query(`SELECT setval($1, $2)`, [sequence, base + Math.max(count, 1)]);
  return base;
}

/**
 * Topics are unique by name; one the database already has (e.g. from the demo seed) is reused
 * rather than duplicated. Returns local topic index → database id.
 */
async function insertTopics(client: pg.Client, graph: SyntheticGraph): Promise<Map<number, number>> {
  const base = await reserveIds(client, "topic", graph.topics.length);
  const names = graph.topics.map((t) => t.name);
  await client.query(
    `INSERT INTO topic (id, openalex_id, name)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
    [graph.topics.map((t) => base + t.index), graph.topics.map((t) => t.openalexId), names],
  );
  const { rows } = await client.query<{ id: number; name: string }>(`SELECT id, name FROM topic WHERE name = ANY($1)`, [names]);
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return new Map(graph.topics.map((t) => [t.index, byName.get(t.name)!]));
}

/** Returns database ids in local index order (a synthetic institution kept by a reset is reused). */
async function insertInstitutions(client: pg.Client, graph: SyntheticGraph): Promise<number[]> {
  const base = await reserveIds(client, "institution", graph.institutions.length);
  const all = graph.institutions;
  await client.query(
    `INSERT INTO institution (id, openalex_id, name, country_code)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
    [all.map((i) => base + i.index), all.map((i) => i.openalexId), all.map((i) => i.name), all.map((i) => i.countryCode)],
  );
  const { rows } = await client.query<{ id: number; openalex_id: string }>(`SELECT id, openalex_id FROM institution WHERE openalex_id = ANY($1)`, [
    all.map((i) => i.openalexId),
  ]);
  const byKey = new Map(rows.map((r) => [r.openalex_id, r.id]));
  return all.map((i) => byKey.get(i.openalexId)!);
}

interface CopyJob<T> {
  table: GraphTable;
  columns: string;
  rows: Iterable<T>;
  /** The row (or rows) in COPY text format, each ending in a newline. */
  line: (row: T) => string;
  /** For progress: how far through the researchers this row is. */
  researcherOf: (row: T) => number;
  researchers: number;
}

async function copyRows<T>(client: pg.Client, job: CopyJob<T>, progress: (p: LoadProgress) => void): Promise<number> {
  const { table, researchers } = job;
  const stream = client.query(copyFrom(`COPY ${table} (${job.columns}) FROM STDIN`));
  let sent = 0;
  function* chunks(): Generator<string> {
    let buffer = "";
    for (const row of job.rows) {
      buffer += job.line(row);
      if (buffer.length >= CHUNK_CHARS) {
        sent += countLines(buffer);
        progress({ step: "copy", table, researchersDone: job.researcherOf(row), researchers, rows: sent });
        yield buffer;
        buffer = "";
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), stream);
  progress({ step: "copy", table, researchersDone: researchers, researchers, rows: stream.rowCount });
  return stream.rowCount;
}

function countLines(chunk: string): number {
  let n = 0;
  for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) n++;
  return n;
}

const NULL = "\\N";

/** COPY text format: backslash, tab, newline and carriage return must be escaped. */
function text(value: string | null): string {
  if (value === null) return NULL;
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!) : value;
}

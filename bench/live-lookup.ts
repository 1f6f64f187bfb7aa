// npm run bench -- live-lookup [--people 40]
// Live lookup against the OpenAlex stand-in with 200 ms added to every answer (a far-away server):
// time to the first card for researchers not imported yet, against one upstream round trip measured
// in the same run; repeat lookups against the local lookup path; upstream requests per lookup.
// Runs in a fresh database on DATABASE_URL's server, migrated with npm run db:migrate and dropped at the end.
import { parseArgs } from "node:util";
import { createCore } from "../src/core/Core.js";
import type { CommandContext } from "../src/core/context.js";
import { systemClock } from "../src/core/context.js";
import type { ImportQueue } from "../src/core/search/ScholarlyDirectory.js";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { liveLookupFor } from "../test/support/liveLookup.js";
import { loadOpenAlexFixtures, startOpenAlexStub, type OpenAlexJson } from "../test/support/openalex-stub.js";
import { ms, percentile, timed } from "./stats.js";

const LATENCY_MS = 200;
const TARGETS = { first: 2.5, repeat: 1.2, firstRequests: 2, repeatRequests: 0 };
const ctx: CommandContext = {
  actor: { platform: "console", tenantId: "bench", userId: "bench" },
  permissions: { canManageChannel: false, isAdmin: false },
};

/** `n` fictional people shaped like the fixture's Marta Quillfeather, each with 12 works. */
function benchFixtures(n: number) {
  const base = loadOpenAlexFixtures({ syntheticWorks: 0 });
  const template = base.authors.find((a) => a.display_name === "Marta Quillfeather")!;
  const templateWork = base.works.find((w) => w.title === "Notes on Fixture Data")!;
  const authors: OpenAlexJson[] = [];
  const works: OpenAlexJson[] = [];
  for (let i = 0; i < n; i++) {
    const id = `https://openalex.org/A59${String(i).padStart(8, "0")}`;
    const name = `Benchperson ${String.fromCharCode(65 + (i % 26))}${i} Fixturesen`;
    authors.push({ ...structuredClone(template), id, orcid: null, display_name: name, display_name_alternatives: [name], ids: { openalex: id } });
    for (let w = 0; w < 12; w++) {
      const wid = `https://openalex.org/W59${String(i * 100 + w).padStart(8, "0")}`;
      works.push({
        ...structuredClone(templateWork),
        id: wid,
        ids: { openalex: wid },
        title: `Bench work ${w} of person ${i}`,
        display_name: `Bench work ${w} of person ${i}`,
        publication_date: `${2010 + w}-01-01`,
        authorships: [
          {
            author_position: "first",
            author: { id, display_name: name, orcid: null },
            institutions: [],
            countries: [],
            is_corresponding: true,
            raw_author_name: name,
            raw_affiliation_strings: [],
          },
        ],
      });
    }
  }
  return { authors: [...base.authors, ...authors], works: [...base.works, ...works], people: authors };
}

export default async function main(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { people: { type: "string", default: "40" } } });
  const n = Number(values.people);
  const fixtures = benchFixtures(n);
  const [t, stub] = await Promise.all([scratchDatabase(), startOpenAlexStub(fixtures)]);
  try {
    stub.latencyMs = LATENCY_MS;
    const queued: number[] = [];
    // The rest of each import goes to the job queue, as in chat: the card does not wait for it.
    const queue: ImportQueue = { enqueueImport: async (id) => void queued.push(id) };
    const core = createCore({ clock: systemClock, db: t.db, log: { error: (d, m) => console.error(m, d) } });
    core.live = liveLookupFor(core, stub.url, { queue, clock: systemClock }).live;
    const local = createCore({ clock: systemClock, db: t.db, log: { error: (d, m) => console.error(m, d) } });

    const ids = fixtures.people.map((p) => p.id.replace("https://openalex.org/", ""));
    // Warm up connections and query plans on someone who is not measured.
    await core.router.handleText("https://openalex.org/A5200000002", ctx);

    const first: number[] = [];
    const roundTrip: number[] = [];
    const firstRequests: number[] = [];
    for (const id of ids) {
      roundTrip.push(await timed(() => fetch(`${stub.url}/authors/${id}`).then((r) => r.json())));
      const before = stub.requests.length;
      let title = "";
      first.push(
        await timed(async () => {
          const { reply } = await core.router.handleText(`https://openalex.org/${id}`, ctx);
          title = reply.kind === "card" ? reply.title : reply.kind;
        }),
      );
      if (!title.startsWith("Benchperson")) throw new Error(`no card for ${id}: ${title}`);
      firstRequests.push(stub.requests.length - before);
    }

    const repeat: number[] = [];
    const localPath: number[] = [];
    const repeatRequests: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const id of ids) {
        const before = stub.requests.length;
        repeat.push(await timed(() => core.router.handleText(`https://openalex.org/${id}`, ctx)));
        repeatRequests.push(stub.requests.length - before);
        localPath.push(await timed(() => local.router.handleText(`https://openalex.org/${id}`, ctx)));
      }
    }

    const p50 = (xs: number[]) => percentile(xs, 50);
    const p99 = (xs: number[]) => percentile(xs, 99);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const firstRatio = p50(first) / p50(roundTrip);
    const repeatRatio = p50(repeat) / p50(localPath);
    console.log(`people: ${n}; stand-in latency ${LATENCY_MS} ms per answer; rest of each import queued (${queued.length} jobs)`);
    console.log(`one upstream round trip   p50 ${ms(p50(roundTrip))}  p99 ${ms(p99(roundTrip))}`);
    console.log(
      `first card (not imported) p50 ${ms(p50(first))}  p99 ${ms(p99(first))}  ratio p50 ${firstRatio.toFixed(2)} (p99 ${(p99(first) / p50(roundTrip)).toFixed(2)}; target ≤ ${TARGETS.first})`,
    );
    console.log(`repeat lookup             p50 ${ms(p50(repeat))}  p99 ${ms(p99(repeat))}`);
    console.log(
      `local lookup path         p50 ${ms(p50(localPath))}  p99 ${ms(p99(localPath))}  repeat/local ${repeatRatio.toFixed(2)} (target ≤ ${TARGETS.repeat})`,
    );
    console.log(
      `upstream requests: per first lookup ${mean(firstRequests).toFixed(2)} (max ${Math.max(...firstRequests)}; target ≤ ${TARGETS.firstRequests}), per repeat ${mean(repeatRequests).toFixed(2)} (target ${TARGETS.repeatRequests})`,
    );
    const missed = [
      firstRatio > TARGETS.first && "first-card ratio",
      repeatRatio > TARGETS.repeat && "repeat ratio",
      Math.max(...firstRequests) > TARGETS.firstRequests && "requests per first lookup",
      Math.max(...repeatRequests) > TARGETS.repeatRequests && "requests per repeat",
    ].filter(Boolean);
    if (missed.length) console.log(`targets missed: ${missed.join(", ")}`);
    console.log(`ratio=${firstRatio.toFixed(2)}`);
  } finally {
    await stub.close();
    await t.drop();
  }
}

/** A migrated database of its own, so the figures are not mixed with anyone's data or usage rows. */
async function scratchDatabase() {
  const server = new URL(loadConfig().databaseUrl);
  const name = `peerlink_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: "/postgres" }).toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  execFileSync("npm", ["run", "-s", "db:migrate"], { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
  const db = createDb(url, { poolSize: 2 });
  return {
    db,
    async drop() {
      await db.$disconnect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

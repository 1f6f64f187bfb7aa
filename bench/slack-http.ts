// npm run bench -- slack-http [--commands 500] [--in-flight 20] [--rounds 2] [--built]
// Signed /researcher slash commands through the real HTTP server and Bolt (`npm start`'s entry point,
// roles slack+http, demo data in a scratch database, local lookups), a fixed number in flight,
// against a bare Bolt app that acknowledges and answers a constant text, measured side by side:
// the two take turns, `--rounds` times each, in the same run. Figures: ack p50/p99 (the HTTP
// response), commands answered per second, and each process's RSS idle and peak under load.
// Ends with ratio=<Peerlink's commands/s ÷ the bare app's> (target ≥ 0.5; ack p99 ≤ 100 ms; RSS
// ≤ 150 MB idle, ≤ 300 MB under load). --built runs the compiled entry point (`npm run build`
// first: dist/src/main.js, as production does) instead of tsx.
import "dotenv/config";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { type LoadRun, slackLoad } from "../test/support/chatLoad.js";
import { deleteKeys } from "../test/support/redis.js";
import { startSlackStub } from "../test/support/slack-stub.js";
import { percentile } from "./stats.js";
import { type Child, rssMb, scratchDatabase, startChild, startPeerlink } from "./support/processes.js";

const SECRET = "bench-slack-http-secret";
const TARGETS = { ratio: 0.5, ackP99Ms: 100, idleMb: 150, loadMb: 300 };

interface Measured {
  acks: number[];
  answered: number;
  seconds: number;
  apologies: number;
  busy: number;
  peakMb: number;
}

const fmtMs = (n: number) => `${n.toFixed(1)} ms`;

export default async function slackHttp(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      commands: { type: "string", default: "500" },
      "in-flight": { type: "string", default: "20" },
      rounds: { type: "string", default: "2" },
      built: { type: "boolean", default: false },
    },
  });
  const total = Number(values.commands);
  const inFlight = Number(values["in-flight"]);
  const rounds = Number(values.rounds);
  const config = loadConfig();
  const redisPrefix = `peerlink-bench-http-${process.pid}`;
  const scratch = await scratchDatabase(config.databaseUrl, "http");
  const slack = await startSlackStub();
  const apps: { name: string; app: Child; idleMb: number; runs: LoadRun[]; peaks: number[] }[] = [];
  const children: Child[] = [];
  try {
    const peerlink = await startPeerlink(
      {
        DATABASE_URL: scratch.url,
        REDIS_URL: config.redisUrl,
        REDIS_PREFIX: redisPrefix,
        PEERLINK_ROLES: "slack,http",
        SLACK_BOT_TOKEN: "xoxb-bench",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
      },
      { built: values.built },
    );
    children.push(peerlink);
    const bare = await startChild(
      ["--import", "tsx", "bench/support/bareBolt.ts"],
      { SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl },
      "bare bolt started",
    );
    children.push(bare);
    for (const [name, app] of [
      ["peerlink", peerlink],
      ["bare bolt", bare],
    ] as const) {
      const eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
      // Warm-up (compiled paths, pooled connections, first identities): not measured.
      await slackLoad({ eventsUrl, signingSecret: SECRET, slack, total: 100, inFlight });
      slack.reset();
      apps.push({ name, app, idleMb: rssMb(app.child.pid!).now, runs: [], peaks: [] });
    }
    console.log(
      `${total} signed slash commands per round from 50 users, ${inFlight} in flight, ${rounds} rounds each, taking turns; demo data, local lookups only; Peerlink ${values.built ? "built (node dist/src/main.js)" : "under tsx (npm start)"}`,
    );
    for (let round = 0; round < rounds; round++) {
      for (const entry of apps) {
        const pid = entry.app.child.pid!;
        let peak = rssMb(pid).now;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid).now)), 50);
        const run = await slackLoad({ eventsUrl: `http://127.0.0.1:${entry.app.port}/slack/events`, signingSecret: SECRET, slack, total, inFlight });
        clearInterval(sampler);
        slack.reset();
        entry.runs.push(run);
        entry.peaks.push(peak);
      }
    }

    const measured = (entry: (typeof apps)[number]): Measured => {
      const samples = entry.runs.flatMap((r) => r.samples);
      return {
        acks: samples.map((s) => s.ackMs),
        answered: samples.filter((s) => s.outcome === "answer").length,
        seconds: entry.runs.reduce((sum, r) => sum + r.seconds, 0),
        apologies: samples.filter((s) => s.outcome === "apology").length,
        busy: samples.filter((s) => s.outcome === "busy").length,
        peakMb: Math.max(...entry.peaks),
      };
    };
    console.log("| app | commands | answered/s | ack p50 | ack p99 | apologies | busy | RSS idle | RSS peak under load |");
    console.log("|---|---|---|---|---|---|---|---|---|");
    const figures = apps.map((entry) => ({ entry, m: measured(entry) }));
    for (const { entry, m } of figures) {
      console.log(
        `| ${entry.name} | ${m.acks.length} | ${(m.answered / m.seconds).toFixed(0)} | ${fmtMs(percentile(m.acks, 50))} | ${fmtMs(percentile(m.acks, 99))} | ` +
          `${m.apologies} | ${m.busy} | ${entry.idleMb.toFixed(0)} MB | ${m.peakMb.toFixed(0)} MB |`,
      );
    }
    const [p, b] = figures;
    const ackP99 = percentile(p!.m.acks, 99);
    console.log(
      `peerlink: ack p99 ${fmtMs(ackP99)} (target ≤ ${TARGETS.ackP99Ms} ms), RSS idle ${p!.entry.idleMb.toFixed(0)} MB (target ≤ ${TARGETS.idleMb} MB), ` +
        `peak ${p!.m.peakMb.toFixed(0)} MB (target ≤ ${TARGETS.loadMb} MB)`,
    );
    const ratio = p!.m.answered / p!.m.seconds / (b!.m.answered / b!.m.seconds);
    console.log(`ratio=${ratio.toFixed(3)} (peerlink commands/s ÷ bare Bolt's; target ≥ ${TARGETS.ratio})`);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await slack.close();
    await scratch.drop();
    await deleteKeys(config.redisUrl, redisPrefix);
  }
}

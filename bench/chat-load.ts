// npm run bench -- chat-load [--commands 1000] [--levels 5,20,50,100,200] [--platforms slack,discord] [--busy-pause-ms 1000] [--built]
// Many people at once (issue 21): `npm start`'s entry point (src/main.ts) in a child process, Slack
// over HTTP and Discord over the gateway, both against local stand-ins, with the demo data in a
// scratch database. At each number in flight, `--commands` signed /researcher slash commands (and as
// many Discord interactions) from 50 users, someone told Peerlink is busy trying again after
// --busy-pause-ms, as the reply asks (0: at once, which turns spare capacity into busy replies): acks/s, ack and answer p50/p99, apologies, busy replies,
// timeouts (no ack inside 3 s, or no answer) and the child's peak RSS. The settings that shape it
// (DATABASE_POOL_SIZE, COMMAND_CONCURRENCY, COMMAND_QUEUE_LENGTH, COMMAND_QUEUE_TIMEOUT_SECONDS) are
// taken from the environment like the app's. Ends with ratio=<ack p99 at 100 in flight / 3000 ms>,
// the worse platform's.
import "dotenv/config";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { ACK_WINDOW_MS, discordLoad, type LoadRun, slackLoad } from "../test/support/chatLoad.js";
import { DiscordStub } from "../test/support/discord-stub.js";
import { deleteKeys } from "../test/support/redis.js";
import { startSlackStub } from "../test/support/slack-stub.js";
import { percentile } from "./stats.js";
import { type Child, rssMb, scratchDatabase, startPeerlink } from "./support/processes.js";

const SECRET = "bench-chat-load-secret";
const TARGETS = { ackP99Ms: 250, answerP99Ms: 2000, ratio: 0.083 };

interface Row {
  platform: string;
  inFlight: number;
  run: LoadRun;
  rssPeakMb: number;
}

function summary({ platform, inFlight, run, rssPeakMb }: Row) {
  const acks = run.samples.map((s) => s.ackMs);
  // Answers proper: a busy reply is quick by design and would flatter the figures.
  const answers = run.samples.flatMap((s) => (s.outcome === "answer" && s.answerMs !== undefined ? [s.answerMs] : []));
  const count = (o: string) => run.samples.filter((s) => s.outcome === o).length;
  return {
    platform,
    inFlight,
    commands: run.samples.length,
    acksPerSecond: run.samples.length / run.seconds,
    answersPerSecond: answers.length / run.seconds,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    answerP50: percentile(answers, 50),
    answerP99: percentile(answers, 99),
    apologies: count("apology"),
    busy: count("busy"),
    timeouts: run.samples.filter((s) => !s.acked).length + count("unanswered"),
    rssPeakMb,
  };
}

const fmtMs = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);

export default async function chatLoad(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      commands: { type: "string", default: "1000" },
      levels: { type: "string", default: "5,20,50,100,200" },
      platforms: { type: "string", default: "slack,discord" },
      "busy-pause-ms": { type: "string", default: "1000" },
      built: { type: "boolean", default: false },
    },
  });
  const total = Number(values.commands);
  const busyPauseMs = Number(values["busy-pause-ms"]);
  const levels = values.levels.split(",").map(Number);
  const platforms = values.platforms.split(",");
  const config = loadConfig();
  const redisPrefix = `peerlink-bench-chat-${process.pid}`;
  const scratch = await scratchDatabase(config.databaseUrl, "chat");
  const [slack, discord] = await Promise.all([startSlackStub(), DiscordStub.start()]);
  const settings = loadConfig({ ...process.env, DATABASE_URL: scratch.url });
  let app: Child | undefined;
  try {
    app = await startPeerlink(
      {
        DATABASE_URL: scratch.url,
        REDIS_URL: config.redisUrl,
        REDIS_PREFIX: redisPrefix,
        SLACK_BOT_TOKEN: "xoxb-bench",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        ...discord.env,
      },
      { built: values.built },
    );
    await discord.ready();
    const pid = app.child.pid!;
    const eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
    const drive = (platform: string, n: number, inFlight: number) =>
      platform === "slack"
        ? slackLoad({ eventsUrl, signingSecret: SECRET, slack, total: n, inFlight, busyPauseMs })
        : discordLoad({ stub: discord, total: n, inFlight, busyPauseMs });

    console.log(
      `settings: DATABASE_POOL_SIZE=${settings.databasePoolSize} COMMAND_CONCURRENCY=${settings.commands.concurrency} ` +
        `COMMAND_QUEUE_LENGTH=${settings.commands.queueLength} COMMAND_QUEUE_TIMEOUT_SECONDS=${settings.commands.queueTimeoutMs / 1000}; ` +
        `${total} commands per level from 50 users, one told "busy" trying again after ${busyPauseMs} ms; demo data, local lookups only; RSS at start ${rssMb(pid).now.toFixed(0)} MB`,
    );
    // Warm-up: compiled code paths, pooled connections, first identities: not measured.
    for (const platform of platforms) await drive(platform, 100, 20);

    const rows: Row[] = [];
    for (const inFlight of levels) {
      for (const platform of platforms) {
        let peak = 0;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid).now)), 50);
        const run = await drive(platform, total, inFlight);
        clearInterval(sampler);
        // Stand-ins keep every call; forget them between levels so the bench process stays small.
        slack.reset();
        discord.calls.length = 0;
        rows.push({ platform, inFlight, run, rssPeakMb: Math.max(peak, rssMb(pid).now) });
        const s = summary(rows.at(-1)!);
        console.error(`  ${platform} ${inFlight} in flight: ack p99 ${fmtMs(s.ackP99)}, answer p99 ${fmtMs(s.answerP99)}`);
      }
    }

    console.log(
      "| platform | in flight | commands | acks/s | answers/s | ack p50 | ack p99 | answer p50 | answer p99 | apologies | busy | timeouts | RSS peak |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const row of rows) {
      const s = summary(row);
      console.log(
        `| ${s.platform} | ${s.inFlight} | ${s.commands} | ${s.acksPerSecond.toFixed(0)} | ${s.answersPerSecond.toFixed(0)} | ${fmtMs(s.ackP50)} | ${fmtMs(s.ackP99)} | ` +
          `${fmtMs(s.answerP50)} | ${fmtMs(s.answerP99)} | ${s.apologies} | ${s.busy} | ${s.timeouts} | ${s.rssPeakMb.toFixed(0)} MB |`,
      );
    }
    console.log(`process RSS high-water mark: ${rssMb(pid).peak.toFixed(0)} MB`);
    const at100 = rows.filter((r) => r.inFlight === 100).map(summary);
    for (const s of at100) {
      console.log(
        `${s.platform} at 100 in flight: ack p99 ${fmtMs(s.ackP99)} (target ≤ ${TARGETS.ackP99Ms} ms), answer p99 ${fmtMs(s.answerP99)} ` +
          `(target ≤ ${fmtMs(TARGETS.answerP99Ms)}), apologies ${s.apologies} (target 0)`,
      );
    }
    for (const s of rows.filter((r) => r.inFlight === 200).map(summary)) {
      console.log(
        `${s.platform} at 200 in flight: apologies ${s.apologies}, timeouts ${s.timeouts} (target 0 and 0; busy replies allowed: ${s.busy})`,
      );
    }
    const worst = Math.max(...at100.map((s) => s.ackP99));
    console.log(`ratio=${at100.length ? (worst / ACK_WINDOW_MS).toFixed(3) : "NaN"} (target ≤ ${TARGETS.ratio})`);
  } finally {
    await app?.stop();
    await Promise.all([slack.close(), discord.close()]);
    await scratch.drop();
    await deleteKeys(config.redisUrl, redisPrefix);
  }
}

// The baseline of `npm run bench -- slack-http`: a bare Bolt app on the same HTTP receiver Peerlink
// uses, that acknowledges /researcher and answers a constant text through response_url. What is
// left between it and Peerlink is Peerlink's own work (routing, the database, rendering).
import { App, LogLevel } from "@slack/bolt";

const app = new App({
  token: "xoxb-bench-bare",
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});
app.command("/researcher", async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: "ephemeral", text: "Jonathan Frankle — a constant answer" });
});
const server = (await app.start(0)) as { address(): { port: number } };
console.error(JSON.stringify({ port: server.address().port, msg: "bare bolt started" }));

// Requests as Slack sends them to a running app's /slack/events: a slash command's form body,
// signed with the app's signing secret (v0 HMAC of "v0:<timestamp>:<body>").
import { createHmac } from "node:crypto";
import { wallClockMs } from "./clock.js";

export interface SlashCommand {
  teamId: string;
  channelId: string;
  userId: string;
  userName: string;
  text: string;
  responseUrl: string;
  triggerId?: string;
}

/** The form body Slack posts for `/researcher <text>`. */
export function slashCommandBody(c: SlashCommand): string {
  return new URLSearchParams({
    team_id: c.teamId,
    channel_id: c.channelId,
    user_id: c.userId,
    user_name: c.userName,
    command: "/researcher",
    text: c.text,
    response_url: c.responseUrl,
    trigger_id: c.triggerId ?? "1.2.3",
  }).toString();
}

/** POSTs `body` to `url` signed as Slack signs it (the timestamp is the real time: Slack's check is against it). */
export function postSigned(url: string, body: string, secret: string, contentType = "application/x-www-form-urlencoded"): Promise<Response> {
  const timestamp = Math.floor(wallClockMs() / 1000);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return fetch(url, {
    method: "POST",
    headers: { "content-type": contentType, "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature },
    body,
  });
}

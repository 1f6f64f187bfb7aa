// Delivers a core Response to where the Slack interaction came from: forms open as modals, replies
// go through response_url (ephemeral unless the core says in_channel), and interactions without a
// response_url (App Home buttons, closed modals) fall back to an ephemeral post or the user's DM.
// A new look for the pressed button's message (Response.source) replaces it through response_url.
import type { RespondFn, webApi } from "@slack/bolt";
import { pictureOf, type Response } from "../../core/reply.js";
import { PlatformCallError } from "../platformFailures.js";
import { renderMessage, renderModal } from "./render.js";
import { PICTURE_IN_DM_NOTE, sendPicture } from "./sendPicture.js";
import { slackCall, slackReason } from "./slackCall.js";

/** A response_url that does not answer within this long is given up on (Slack's own limit is 3 s for acks, none for these). */
export const RESPONSE_URL_TIMEOUT_MS = 10_000;

type Client = InstanceType<typeof webApi.WebClient>;

export interface ReplyTarget {
  client: Client;
  userId: string;
  channelId?: string;
  /** Bolt's respond(), present when Slack sent a response_url. */
  respond?: RespondFn;
  responseUrl?: string;
  /** Lets a Form open as a modal; valid for 3 seconds after the interaction. */
  triggerId?: string;
}

export async function deliver(response: Response, to: ReplyTarget): Promise<void> {
  const { reply, visibility } = response;
  if (response.source && to.respond) {
    // The message whose button was pressed changes in place (e.g. an answered invitation loses its buttons).
    const source = renderMessage(response.source);
    await slackCall("response_url", () => to.respond!({ replace_original: true, text: source.text, blocks: source.blocks }));
  }
  if (reply.kind === "form") {
    if (to.triggerId) {
      const view = renderModal(reply, { ...reply.submit, channelId: to.channelId, responseUrl: to.responseUrl });
      try {
        await to.client.views.open({ trigger_id: to.triggerId, view });
        return;
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error !== "expired_trigger_id")
          throw new PlatformCallError("slack", "modal", slackReason(error), error);
      }
    }
    return deliver(
      {
        visibility: "ephemeral",
        reply: {
          kind: "notice",
          level: "warning",
          text: `“${reply.title}” needs a form that Slack could not open in time. Please press the button again.`,
        },
      },
      to,
    );
  }
  const picture = pictureOf(reply);
  const privatePicture = picture && (visibility === "ephemeral" || !to.channelId);
  const message = renderMessage(reply, privatePicture ? PICTURE_IN_DM_NOTE : undefined);
  await postMessage(response, message, to);
  if (picture) await slackCall("upload", () => sendPicture(picture, visibility, to));
}

async function postMessage(response: Response, message: ReturnType<typeof renderMessage>, to: ReplyTarget): Promise<void> {
  const { visibility } = response;
  const { respond } = to;
  if (respond) {
    await slackCall("response_url", () =>
      respond({ response_type: visibility, replace_original: false, text: message.text, blocks: message.blocks }),
    );
    return;
  }
  if (to.channelId && visibility === "in_channel") {
    const channel = to.channelId;
    await slackCall("post", () => to.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false }));
    return;
  }
  if (to.channelId && !to.channelId.startsWith("D")) {
    try {
      await to.client.chat.postEphemeral({ channel: to.channelId, user: to.userId, text: message.text, blocks: message.blocks });
      return;
    } catch {
      // e.g. not_in_channel: the user's DM with Peerlink still works
    }
  }
  // Posting to a user id lands in the app's Messages tab, a DM with Peerlink.
  await slackCall("post", () => to.client.chat.postMessage({ channel: to.userId, text: message.text, blocks: message.blocks, unfurl_links: false }));
}

/** respond() for a response_url kept from an earlier interaction (e.g. across a modal). */
export function respondVia(url: string, timeoutMs = RESPONSE_URL_TIMEOUT_MS): RespondFn {
  return async (message) => {
    const body = typeof message === "string" ? { text: message } : message;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    // Shaped like Bolt's RespondError, so both respond() functions fail alike.
    if (!res.ok) throw Object.assign(new Error(`response_url answered ${res.status}`), { code: "slack_bolt_respond_error", statusCode: res.status });
    return res;
  };
}

/** fetch with a deadline, for Bolt's respond() (which sets none); the Web API client brings its own signal. */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}

// Pictures in replies (e.g. a research graph) are uploaded with files.uploadV2 beside the message.
// A private reply must stay private, so its picture goes to the user's DM with Peerlink; a shared
// reply's picture goes to the channel (or, if Peerlink is not a member there, to the DM as well).
import type { webApi } from "@slack/bolt";
import type { Picture } from "../../core/reply.js";
import { renderPicture } from "../../render/renderPicture.js";
import type { Visibility } from "../../core/reply.js";
import type { ReplyTarget } from "./deliver.js";

/** Shown under a private reply whose picture was sent to the DM. */
export const PICTURE_IN_DM_NOTE = "The picture is in your messages with Peerlink (Apps → Peerlink).";

/** Draws the picture and uploads it into one conversation (files.getUploadURLExternal, the upload, files.completeUploadExternal). */
export async function uploadPicture(client: InstanceType<typeof webApi.WebClient>, channelId: string, picture: Picture): Promise<void> {
  const image = renderPicture(picture);
  await client.filesUploadV2({
    channel_id: channelId,
    file: Buffer.from(image.data),
    filename: image.filename,
    title: image.alt.slice(0, 250),
    alt_text: image.alt.slice(0, 1000),
  });
}

export async function sendPicture(picture: Picture, visibility: Visibility, to: ReplyTarget): Promise<{ channelId: string }> {
  if (visibility === "in_channel" && to.channelId && !to.channelId.startsWith("D")) {
    try {
      await uploadPicture(to.client, to.channelId, picture);
      return { channelId: to.channelId };
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code !== "not_in_channel" && code !== "channel_not_found") throw error;
    }
  }
  const dm = await to.client.conversations.open({ users: to.userId });
  const channelId = dm.channel?.id;
  if (!channelId) throw new Error("conversations.open returned no channel");
  await uploadPicture(to.client, channelId, picture);
  return { channelId };
}

// Pictures in replies (e.g. a research graph) are uploaded with files.uploadV2 beside the message.
// A private reply must stay private, so its picture goes to the user's DM with Peerlink; a shared
// reply's picture goes to the channel (or, if Peerlink is not a member there, to the DM as well).
import type { Picture } from "../../core/reply.js";
import { renderPicture } from "../../render/renderPicture.js";
import type { Visibility } from "../../core/reply.js";
import type { ReplyTarget } from "./deliver.js";

/** Shown under a private reply whose picture was sent to the DM. */
export const PICTURE_IN_DM_NOTE = "The picture is in your messages with Peerlink (Apps → Peerlink).";

export async function sendPicture(picture: Picture, visibility: Visibility, to: ReplyTarget): Promise<{ channelId: string }> {
  const image = renderPicture(picture);
  const upload = (channel_id: string) =>
    to.client.filesUploadV2({
      channel_id,
      file: Buffer.from(image.data),
      filename: image.filename,
      title: image.alt.slice(0, 250),
      alt_text: image.alt.slice(0, 1000),
    });
  if (visibility === "in_channel" && to.channelId && !to.channelId.startsWith("D")) {
    try {
      await upload(to.channelId);
      return { channelId: to.channelId };
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code !== "not_in_channel" && code !== "channel_not_found") throw error;
    }
  }
  const dm = await to.client.conversations.open({ users: to.userId });
  const channelId = dm.channel?.id;
  if (!channelId) throw new Error("conversations.open returned no channel");
  await upload(channelId);
  return { channelId };
}

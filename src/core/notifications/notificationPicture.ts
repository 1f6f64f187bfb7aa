// The research graph a notification carries, where it helps: the picture of the researcher the
// paper was sent for, showing the co-authors and papers around them. Sent with channel posts (one
// per paper and channel, read by many) and digests (one per digest), not with each follower's DM:
// drawing and uploading one per follower would cost a picture and three Slack calls per message,
// beyond Slack's limits for uploads at the rate new-paper DMs go out.
import type { Db } from "../../db/client.js";
import { loadResearchGraph } from "../graph/loadResearchGraph.js";
import { researchGraphPicture } from "../graph/researchGraphList.js";
import type { Picture } from "../reply.js";

/** The researcher's graph as a picture, or nothing when they have no co-authors yet (a lone dot explains nothing). */
export async function notificationPicture(db: Db, researcherId: number, now: Date): Promise<Picture | undefined> {
  const graph = await loadResearchGraph(db, researcherId, now);
  if (!graph || !graph.nodes.some((n) => n.kind === "coauthor")) return undefined;
  return researchGraphPicture(graph);
}

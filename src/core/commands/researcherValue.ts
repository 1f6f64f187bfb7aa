// What a researcher button's value names: a researcher Peerlink has ("42"), or someone only the
// scholarly directory knew when the message was made ("oa:A5023888391"), imported when pressed.
// A profile card's Follow adds where it sits ("card:42", "shared:42"), so the press can change it.
import type { CoreServices } from "../CoreServices.js";
import { ephemeral, notice, type Response } from "../reply.js";
import { ScholarlyDirectoryError } from "../search/ScholarlyDirectory.js";

export type CardPlace = "card" | "shared";

export type ResearcherFromValue = { ok: true; researcherId: number; place?: CardPlace } | { ok: false; response: Response };

const stale = (): ResearcherFromValue => ({ ok: false, response: ephemeral(notice("error", "That button is no longer supported.")) });

export async function researcherFromValue(value: string, core: CoreServices): Promise<ResearcherFromValue> {
  const placed = /^(card|shared):(.*)$/.exec(value);
  const place = placed?.[1] as CardPlace | undefined;
  const ref = placed ? placed[2]! : value;
  const remote = /^oa:(A\d{4,12})$/i.exec(ref);
  if (remote) {
    if (!core.live.enabled) return { ok: false, response: ephemeral(notice("warning", "Live lookup in OpenAlex is not configured here.")) };
    try {
      const researcherId = await core.live.ensureImported(remote[1]!.toUpperCase());
      if (researcherId === null) return { ok: false, response: ephemeral(notice("warning", "OpenAlex no longer has that researcher.")) };
      return { ok: true, researcherId, place };
    } catch (error) {
      if (!(error instanceof ScholarlyDirectoryError)) throw error;
      return {
        ok: false,
        response: ephemeral(notice("warning", "The scholarly database (OpenAlex) did not answer in time, try again in a minute.")),
      };
    }
  }
  const researcherId = Number(ref);
  if (!/^\d{1,9}$/.test(ref) || researcherId <= 0) return stale();
  return { ok: true, researcherId, place };
}

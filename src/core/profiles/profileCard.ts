import { plainTex } from "../plainTex.js";
import { type Action, type Card, type Item, truncate } from "../reply.js";
import { verificationLabel } from "../trust/trust.js";
import { CLOSE_COLLABORATOR_MIN_SHARED_WORKS, type Profile, type WorkSummary } from "./ProfileService.js";

export const ABSTRACT_PREVIEW = 280;

export function workUrl(w: Pick<WorkSummary, "doi" | "arxivId" | "openalexId">): string | undefined {
  if (w.doi) return `https://doi.org/${w.doi}`;
  if (w.arxivId) return `https://arxiv.org/abs/${w.arxivId}`;
  if (w.openalexId) return `https://openalex.org/${w.openalexId}`;
  return undefined;
}

export function workItem(w: WorkSummary, abstractLength = ABSTRACT_PREVIEW): Item {
  const meta = [w.type, w.year ?? "undated", w.venue].filter(Boolean).join(" · ");
  return { title: w.title, meta, text: w.abstract ? truncate(plainTex(w.abstract), abstractLength) : undefined, url: workUrl(w) };
}

export function profileUrl(p: Pick<Profile, "openalexId" | "orcid">): string | undefined {
  if (p.openalexId && /^A\d+$/.test(p.openalexId)) return `https://openalex.org/${p.openalexId}`;
  if (p.orcid) return `https://orcid.org/${p.orcid}`;
  return undefined;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The profile card: the same facts as the public profile page, as platform-neutral data. */
export function profileCard(p: Profile): Card {
  const id = String(p.id);
  const actions: Action[] = [
    p.viewerFollows ? { id: "unfollow", label: "Unfollow", value: id } : { id: "follow", label: "Follow", value: id, style: "primary" },
    ...(p.claimedBy ? [] : [{ id: "claim", label: "Claim this profile", value: id } as Action]),
    // Only a claimed researcher can be invited, and never by themselves: offer what the core will do.
    ...(p.viewerIsClaimant
      ? []
      : ([
          p.claimedBy
            ? { id: "invite", label: "Invite to collaborate", value: id }
            : { id: "watch_claim", label: "Tell me when they claim", value: id },
        ] as Action[])),
    { id: "works", label: "More works", value: `${id}:1` },
    { id: "graph", label: "Research graph", value: id },
  ];
  return {
    kind: "card",
    title: p.displayName,
    subtitle: p.summary ?? undefined,
    url: profileUrl(p),
    fields: [
      { label: "Affiliation", value: p.affiliation ?? "Affiliation not imported", inline: true },
      { label: "Collaboration", value: p.openToCollaborate ? "Open to collaborate" : "Not open to collaborate", inline: true },
      { label: "Trust", value: `${p.trust.score} · ${p.trust.tier}`, inline: true },
      { label: "Verification", value: verificationLabel(p.verificationLevel), inline: true },
      { label: "Claim", value: p.claimedBy ? `Claimed by ${p.claimedBy}` : "Unclaimed author", inline: true },
      {
        label: "Counts",
        value: [
          p.arriving && p.arriving.expectedWorks !== null && p.arriving.expectedWorks > p.counts.works
            ? `${p.counts.works} of ${plural(p.arriving.expectedWorks, "work")} so far`
            : plural(p.counts.works, "work"),
          plural(p.counts.followers, "follower"),
          plural(p.counts.topics, "topic"),
          // The graph lists co-authors; saying both numbers here shows why they differ.
          `${plural(p.counts.closeCollaborators, "close collaborator")} (${CLOSE_COLLABORATOR_MIN_SHARED_WORKS}+ shared works) of ${plural(p.counts.coauthors, "co-author")}`,
        ].join(" · "),
      },
    ],
    itemsTitle: p.recentWorks.length ? `Recent works (${p.recentWorks.length} of ${p.counts.works})` : "No works imported yet",
    items: p.recentWorks.map((w) => workItem(w)),
    context:
      [
        p.arriving ? "Still importing from OpenAlex: works and close collaborators are arriving, so those counts will grow." : undefined,
        p.claimedBy ? undefined : "Claim this author record to unlock direct collaboration invitations.",
      ]
        .filter(Boolean)
        .join(" ") || undefined,
    actions,
  };
}

// What a new-paper message says, and when a digest is due, as plain functions.
import { describe, expect, it } from "vitest";
import { isValidTimeZone, latestDigestTime } from "../../../src/core/notifications/localTime.js";
import { authorLine, newWorkCard, type NotifiedWork } from "../../../src/core/notifications/notificationMessage.js";

const work: NotifiedWork = {
  id: 1,
  title: "The Lottery Ticket Hypothesis",
  type: "article",
  abstract: "Neural network pruning techniques can reduce the parameter counts of trained networks by over 90%. ".repeat(8),
  venue: "ICLR",
  year: 2019,
  doi: "10.48550/arxiv.1803.03635",
  arxivId: "1803.03635",
  openalexId: "W2963000000",
  authors: [
    { researcherId: 7, name: "Michael Carbin" },
    { researcherId: 3, name: "Jonathan Frankle" },
  ],
};

describe("new-paper card", () => {
  it("names followed authors first, marked, and shows venue, year, a short abstract and links", () => {
    const card = newWorkCard(work, new Set([3]));
    expect(card.title).toBe("The Lottery Ticket Hypothesis");
    expect(card.subtitle).toBe("New paper by Jonathan Frankle");
    expect(card.url).toBe("https://doi.org/10.48550/arxiv.1803.03635");
    const field = (label: string) => card.fields.find((f) => f.label === label)?.value;
    expect(field("Authors")).toBe("★ Jonathan Frankle, Michael Carbin");
    expect(field("Venue")).toBe("ICLR");
    expect(field("Year")).toBe("2019");
    expect(field("Abstract")!.length).toBeLessThanOrEqual(300);
    expect(field("Links")).toContain("https://arxiv.org/abs/1803.03635");
    expect(card.actions).toEqual([{ id: "lookup", label: "View Jonathan Frankle", value: "3" }]);
  });

  it("shortens long author lists", () => {
    const many = { ...work, authors: Array.from({ length: 20 }, (_, i) => ({ researcherId: i + 100, name: `Author ${i}` })) };
    expect(authorLine(many, new Set())).toMatch(/Author 7 and 12 more$/);
  });
});

describe("digest time", () => {
  it("is the latest local digest hour that has passed, across daylight-saving changes", () => {
    // Berlin is UTC+2 in summer and UTC+1 in winter.
    expect(latestDigestTime(new Date("2026-07-01T07:30:00Z"), "Europe/Berlin", 9, "daily").toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(latestDigestTime(new Date("2026-12-01T07:30:00Z"), "Europe/Berlin", 9, "daily").toISOString()).toBe("2026-11-30T08:00:00.000Z");
    // The Sunday clocks go back (2026-10-25), 09:00 local is 08:00Z.
    expect(latestDigestTime(new Date("2026-10-25T12:00:00Z"), "Europe/Berlin", 9, "daily").toISOString()).toBe("2026-10-25T08:00:00.000Z");
    // Weekly digests go out on Mondays: 2026-11-23 is a Monday.
    expect(latestDigestTime(new Date("2026-11-27T12:00:00Z"), "America/New_York", 8, "weekly").toISOString()).toBe("2026-11-23T13:00:00.000Z");
  });

  it("knows IANA zones and refuses offsets and made-up names", () => {
    expect(isValidTimeZone("Asia/Kolkata")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("+02:00")).toBe(false);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});

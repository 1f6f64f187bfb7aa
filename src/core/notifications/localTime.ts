// Local wall-clock time in an IANA zone, with Intl only (no timezone database of our own).

/** True when Intl knows the zone ("Europe/Berlin", "UTC"); offsets like "+02:00" are not zones. */
export function isValidTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling ("europe/berlin" → "Europe/Berlin"). */
export function canonicalTimeZone(zone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 Sunday … 6 Saturday */
  weekday: number;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function localParts(at: Date, zone: string): LocalParts {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "0";
  return {
    year: Number(get("year")),
    month: Number(get("month")),
    day: Number(get("day")),
    hour: Number(get("hour")) % 24,
    minute: Number(get("minute")),
    weekday: WEEKDAYS.indexOf(get("weekday")),
  };
}

/** The instant at which the zone's wall clock shows the given local date and hour (DST gaps move forward). */
export function zonedInstant(zone: string, year: number, month: number, day: number, hour: number): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall;
  // Two rounds settle the offset, also across a DST change between the guess and the answer.
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), zone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wall - shown;
  }
  return new Date(guess);
}

/**
 * The latest digest time at or before `now`: the local `hour` today or yesterday (daily), on the
 * latest Monday (weekly), or on the first of the month (monthly).
 */
export function latestDigestTime(now: Date, zone: string, hour: number, mode: "daily" | "weekly" | "monthly"): Date {
  const today = localParts(now, zone);
  if (mode === "monthly") {
    const thisMonth = zonedInstant(zone, today.year, today.month, 1, hour);
    if (thisMonth.getTime() <= now.getTime()) return thisMonth;
    return today.month === 1 ? zonedInstant(zone, today.year - 1, 12, 1, hour) : zonedInstant(zone, today.year, today.month - 1, 1, hour);
  }
  for (let back = 0; back <= 8; back++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    if (mode === "weekly" && day.getUTCDay() !== 1) continue;
    const at = zonedInstant(zone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour);
    if (at.getTime() <= now.getTime()) return at;
  }
  throw new Error("unreachable: a digest time lies within the last eight days");
}

#!/usr/bin/env bash
# Runs the tests with the machine's clock moved to other dates (libfaketime, Debian package
# `faketime`), to prove that no spec depends on today's date: every spec pins the core's clock, so
# the wall clock may say anything. The offset form (+Ns) moves every process the same way, so the
# vitest workers, the child processes they spawn and BullMQ's timestamps agree with each other;
# PostgreSQL and Redis keep the real time, which also catches SQL that reads now().
#
#   scripts/test-at-dates.sh                  the time-dependent specs at each date
#   scripts/test-at-dates.sh --full           the whole suite at the first date, the time-dependent specs at the others
#   scripts/test-at-dates.sh -- test/core     any vitest arguments, at each date
set -euo pipefail
cd "$(dirname "$0")/.."

# Each entry: "<UTC date and time>|<TZ for the run>|<why>".
DATES=(
  "2027-03-28 00:40:00|Europe/Berlin|20 minutes before Europe's clocks go forward (01:00 UTC), so the run crosses the change"
  "2030-12-31 23:50:00|Pacific/Kiritimati|10 minutes before a year end (UTC), in the first time zone to reach the new year"
  "2025-06-15 09:00:00|America/Los_Angeles|a date before the specs' own fixed dates"
)
TIME_DEPENDENT=(test/core test/jobs)

full=false
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) full=true ;;
    --) shift; args=("$@"); break ;;
    *) args+=("$1") ;;
  esac
  shift
done

if ! command -v faketime >/dev/null 2>&1; then
  echo "faketime is not installed: installing Debian's package"
  if ! apt-get install -y -qq faketime >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && apt-get install -y -qq faketime >/dev/null
  fi
fi

first=true
for entry in "${DATES[@]}"; do
  IFS='|' read -r at tz why <<<"$entry"
  offset=$(($(date -ud "$at" +%s) - $(date +%s)))
  specs=("${TIME_DEPENDENT[@]}")
  if [ ${#args[@]} -gt 0 ]; then specs=("${args[@]}"); elif $full && $first; then specs=(); fi
  printf '\n== tests with the clock at %s UTC, TZ=%s (%s)\n' "$at" "$tz" "$why"
  sign=$([ "$offset" -ge 0 ] && echo "+" || echo "")
  TZ="$tz" faketime -f "${sign}${offset}s" node -e 'console.log("   the tests see " + new Date().toString())'
  TZ="$tz" faketime -f "${sign}${offset}s" npx vitest run "${specs[@]}"
  first=false
done

"""Checks a `clinic export ics` file against the appointments it should hold.

Usage: python3 validate_ics.py CALENDAR.ics EXPECTED.json
EXPECTED.json: {"zone": "America/Toronto", "from": ISO, "until": ISO, "forbidden": [text...],
                "appointments": [{"id", "series", "start", "end", "status"[, "zone"]}...]} (instants in UTC, Z);
                "zones": [...] instead of "zone" when the calendar spans sites in several zones.
Parses with icalendar, expands recurrences with recurring-ical-events, and checks:
CRLF line ends and 75-octet folding; one VTIMEZONE per expected zone, each giving the same offsets
as its IANA zone at every occurrence written in it; an appointment with a "zone" is written in it; the non-cancelled occurrences equal the non-cancelled appointments; each
cancelled appointment is either absent (EXDATE) or a STATUS:CANCELLED event; UIDs are
appointment or series ids; no forbidden text (patient names, note text) appears.
Prints a JSON summary and exits 0, or prints problems on stderr and exits 1; exit 2 when a
package is missing (the tests fail, they do not skip).
"""
import json
import sys
from datetime import datetime, timezone

try:
    import icalendar
    import recurring_ical_events
    from zoneinfo import ZoneInfo
except ImportError as error:
    print(f"icalendar / recurring-ical-events are not installed: {error}", file=sys.stderr)
    sys.exit(2)


def utc(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def main(calendar_path, expected_path):
    raw = open(calendar_path, "rb").read()
    expected = json.load(open(expected_path, encoding="utf-8"))
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    for number, line in enumerate(raw.split(b"\r\n"), start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number} has a bare LF or CR")
        if len(line) > 75:
            problems.append(f"line {number} is {len(line)} octets long (limit 75)")
    text = raw.decode("utf-8")
    for forbidden in expected.get("forbidden", []):
        if forbidden in text:
            problems.append("the calendar contains text it must not carry (a patient name or clinical detail)")

    calendar = icalendar.Calendar.from_ical(raw)
    zones = expected.get("zones") or [expected["zone"]]
    timezones = calendar.walk("VTIMEZONE")
    vtimezones = {str(t["TZID"]): t.to_tz() for t in timezones}
    if len(timezones) != len(zones) or set(vtimezones) != set(zones):
        problems.append(f"expected one VTIMEZONE for each of {sorted(zones)}, got {sorted(str(t['TZID']) for t in timezones)}")

    appointments = expected["appointments"]
    ids = {a["id"] for a in appointments} | {a["series"] for a in appointments if a.get("series")}
    events = calendar.walk("VEVENT")
    for event in events:
        if str(event["UID"]) not in ids:
            problems.append(f"UID {event['UID']} is neither an appointment nor a series id")
        if "SEQUENCE" not in event:
            problems.append(f"event {event['UID']} has no SEQUENCE")

    window_from, window_until = utc(expected["from"]), utc(expected["until"])
    occurrences = recurring_ical_events.of(calendar).between(window_from, window_until)
    zone_of = {utc(a["start"]): a["zone"] for a in appointments if a.get("zone")}
    live, cancelled_events = [], []
    for occurrence in occurrences:
        start = occurrence["DTSTART"].dt
        end = occurrence["DTEND"].dt
        tzid = occurrence["DTSTART"].params.get("TZID") or getattr(start.tzinfo, "key", None) or str(start.tzinfo)
        naive = start.replace(tzinfo=None)
        if tzid not in vtimezones:
            problems.append(f"an event at {naive} is in {tzid}, which has no VTIMEZONE")
        elif vtimezones[tzid].utcoffset(naive) != ZoneInfo(tzid).utcoffset(naive):
            problems.append(f"VTIMEZONE offset at {naive} differs from {tzid}")
        wanted_zone = zone_of.get(start.astimezone(timezone.utc))
        if wanted_zone and tzid != wanted_zone:
            problems.append(f"the event at {start.astimezone(timezone.utc).isoformat()} is written in {tzid}, not its site's {wanted_zone}")
        pair = (start.astimezone(timezone.utc), end.astimezone(timezone.utc))
        if str(occurrence.get("STATUS", "CONFIRMED")).upper() == "CANCELLED":
            cancelled_events.append(pair)
        else:
            live.append(pair)
    wanted = sorted((utc(a["start"]), utc(a["end"])) for a in appointments if a["status"] != "cancelled")
    if sorted(live) != wanted:
        missing = [f"{s.isoformat()}" for s, _ in sorted(set(wanted) - set(live))]
        extra = [f"{s.isoformat()}" for s, _ in sorted(set(live) - set(wanted))]
        problems.append(f"occurrences differ from appointments: missing {missing}, unexpected {extra}, "
                        f"counts {len(live)} vs {len(wanted)}")
    live_set = set(live)
    for a in appointments:
        if a["status"] == "cancelled" and (utc(a["start"]), utc(a["end"])) in live_set:
            if sum(1 for b in appointments if b["status"] != "cancelled" and (b["start"], b["end"]) == (a["start"], a["end"])) == 0:
                problems.append(f"cancelled appointment {a['id']} still appears as a live occurrence")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(json.dumps({
        "ok": True, "occurrences": len(live), "cancelled_events": len(cancelled_events),
        "rrules": sum(1 for e in events if "RRULE" in e), "exdates": text.count("\r\nEXDATE"),
        "overrides": sum(1 for e in events if "RECURRENCE-ID" in e), "events": len(events),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

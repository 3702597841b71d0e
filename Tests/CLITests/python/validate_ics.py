"""Checks a `clinic export ics` file against the appointments it should hold.

Usage: python3 validate_ics.py CALENDAR.ics EXPECTED.json
EXPECTED.json: {"zone": "America/Toronto", "from": ISO, "until": ISO, "forbidden": [text...],
                "appointments": [{"id", "series", "start", "end", "status"}...]} (instants in UTC, Z).
Parses with icalendar, expands recurrences with recurring-ical-events, and checks:
CRLF line ends and 75-octet folding; the VTIMEZONE gives the same offsets as the IANA zone at
every occurrence; the non-cancelled occurrences equal the non-cancelled appointments; each
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
    zone = ZoneInfo(expected["zone"])
    timezones = calendar.walk("VTIMEZONE")
    if len(timezones) != 1 or str(timezones[0]["TZID"]) != expected["zone"]:
        problems.append("expected exactly one VTIMEZONE for the site's zone")
        vtimezone = None
    else:
        vtimezone = timezones[0].to_tz()

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
    live, cancelled_events = [], []
    for occurrence in occurrences:
        start = occurrence["DTSTART"].dt
        end = occurrence["DTEND"].dt
        if vtimezone is not None:
            naive = start.replace(tzinfo=None)
            if vtimezone.utcoffset(naive) != zone.utcoffset(naive):
                problems.append(f"VTIMEZONE offset at {naive} differs from {expected['zone']}")
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

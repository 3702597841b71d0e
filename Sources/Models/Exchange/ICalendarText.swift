/// The text layer of RFC 5545: escaping, date-time forms and line folding. Calendar clients
/// reject or mangle files that get these wrong, so they live in one tested place.
public enum ICalendarText {
    /// Escapes a TEXT value: backslash, semicolon, comma and newline (RFC 5545 §3.3.11).
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\": output += "\\\\"
            case ";": output += "\\;"
            case ",": output += "\\,"
            case "\n", "\r\n", "\r": output += "\\n"
            default: output.append(character)
            }
        }
        return output
    }

    /// Folds one content line so no physical line exceeds 75 octets, never splitting a UTF-8
    /// sequence; continuation lines start with one space (RFC 5545 §3.1).
    public static func fold(_ line: String) -> String {
        var output = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = String(scalar).utf8.count
            if octets + width > 75 {
                output += "\r\n "
                octets = 1
            }
            output.unicodeScalars.append(scalar)
            octets += width
        }
        return output
    }

    /// `20261201T090000`: a wall-clock time, written with a `TZID` parameter.
    public static func local(_ time: LocalDateTime) -> String {
        let d = time.date
        return pad(d.year, 4) + pad(d.month, 2) + pad(d.day, 2) + "T" + pad(time.minuteOfDay / 60, 2)
            + pad(time.minuteOfDay % 60, 2) + pad(time.second, 2)
    }

    /// `20261201T140000Z`: an instant in UTC, as DTSTAMP and LAST-MODIFIED require.
    public static func utc(_ millis: Int64) -> String {
        local(LocalDateTime(secondsAsIfUTC: Int(Instant.floorDiv(millis, 1000)))) + "Z"
    }

    /// `-0500`: a UTC offset as TZOFFSETFROM/TZOFFSETTO write it.
    public static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        return sign + pad(magnitude / 3600, 2) + pad(magnitude / 60 % 60, 2)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

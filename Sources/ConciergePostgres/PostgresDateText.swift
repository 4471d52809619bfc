import struct Foundation.Date

/// `timestamptz` text without Foundation formatters: proleptic Gregorian calendar arithmetic on microseconds.
enum PostgresDateText {
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00` in UTC (` BC` appended for years before 1). `Date.distantFuture` and
    /// `Date.distantPast` are sent as `infinity` and `-infinity`, which is what they decode from.
    static func format(_ date: Date) -> String {
        if date == .distantFuture { return "infinity" }
        if date == .distantPast { return "-infinity" }
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, fraction) = floorDivMod(micros, 1_000_000)
        let (days, secondOfDay) = floorDivMod(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        let displayYear = year > 0 ? year : 1 - year
        var out = ""
        out.reserveCapacity(32)
        appendPadded(&out, displayYear, width: 4)
        out.append("-")
        appendPadded(&out, month, width: 2)
        out.append("-")
        appendPadded(&out, day, width: 2)
        out.append(" ")
        appendPadded(&out, secondOfDay / 3600, width: 2)
        out.append(":")
        appendPadded(&out, secondOfDay / 60 % 60, width: 2)
        out.append(":")
        appendPadded(&out, secondOfDay % 60, width: 2)
        out.append(".")
        appendPadded(&out, fraction, width: 6)
        out.append("+00")
        if year <= 0 { out.append(" BC") }
        return out
    }

    /// Parses `timestamptz` output in any offset (`+05:30`, `-03`, `+00:53:28`, `Z`), `timestamp` and `date` output
    /// (read as UTC), fractions of up to microseconds (further digits are rounded away), ` BC`, `infinity` and
    /// `-infinity`. Accepts `T` as the date/time separator.
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var i = 0
        let n = bytes.count

        func digits(min: Int, max: Int) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while i < n, count < max, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                value = value * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
                count += 1
                i += 1
            }
            return count >= min ? value : nil
        }
        func expect(_ character: Unicode.Scalar) -> Bool {
            guard i < n, bytes[i] == UInt8(ascii: character) else { return false }
            i += 1
            return true
        }

        guard var year = digits(min: 4, max: 9), expect("-"),
            let month = digits(min: 2, max: 2), expect("-"),
            let day = digits(min: 2, max: 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }

        var secondOfDay: Int64 = 0
        var fractionMicros: Int64 = 0
        var offsetSeconds: Int64 = 0
        if i < n, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "T"),
            i + 1 < n, bytes[i + 1] >= UInt8(ascii: "0"), bytes[i + 1] <= UInt8(ascii: "9")
        {
            i += 1
            guard let hour = digits(min: 2, max: 2), expect(":"),
                let minute = digits(min: 2, max: 2), expect(":"),
                let second = digits(min: 2, max: 2),
                hour <= 24, minute < 60, second <= 60
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if expect(".") {
                var scale: Int64 = 100_000
                var roundUp = false
                var count = 0
                while i < n, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                    let digit = Int64(bytes[i] - UInt8(ascii: "0"))
                    if count < 6 {
                        fractionMicros += digit * scale
                        scale /= 10
                    } else if count == 6 {
                        roundUp = digit >= 5
                    }
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
                if roundUp { fractionMicros += 1 }
            }
            if i < n, bytes[i] == UInt8(ascii: "Z") {
                i += 1
            } else if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                let sign: Int64 = bytes[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let hours = digits(min: 2, max: 2) else { return nil }
                var offset = hours * 3600
                if expect(":") {
                    guard let minutes = digits(min: 2, max: 2) else { return nil }
                    offset += minutes * 60
                    if expect(":") {
                        guard let seconds = digits(min: 2, max: 2) else { return nil }
                        offset += seconds
                    }
                }
                offsetSeconds = sign * offset
            }
        }
        if i + 3 == n, bytes[i] == UInt8(ascii: " "), bytes[i + 1] == UInt8(ascii: "B"),
            bytes[i + 2] == UInt8(ascii: "C")
        {
            year = 1 - year
            i += 3
        }
        guard i == n else { return nil }

        let days = days(fromCivilYear: year, month: month, day: day)
        let seconds = days * 86_400 + secondOfDay - offsetSeconds
        let micros = seconds * 1_000_000 + fractionMicros
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    private static func appendPadded(_ out: inout String, _ value: Int64, width: Int) {
        let digits = String(value)
        if digits.utf8.count < width {
            out.append(String(repeating: "0", count: width - digits.utf8.count))
        }
        out.append(digits)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (year 0 is 1 BC).
    static func days(fromCivilYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (year 0 is 1 BC).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

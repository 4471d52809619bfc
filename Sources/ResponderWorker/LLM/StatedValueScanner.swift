import Foundation

/// Splits text into words, numbers, references and symbols, then reads dates, amounts and references off the token
/// sequence; month names and currency words are the reply languages' (`StatedValueVocabulary`).
struct StatedValueScanner {
    enum Token: Equatable {
        /// Lower-cased letters (hyphens allowed inside).
        case word(String)
        /// Digits with `.`, `,`, `/` or `-` between digits.
        case number(String)
        /// `3rd`, `1st`: the day number.
        case ordinal(Int)
        /// Letters and digits mixed (`zl-448812`, `pay_in_3`), lower-cased.
        case mixed(String)
        /// Any other non-space character (`€`, `.`, `,`).
        case symbol(Character)
    }

    let tokens: [Token]
    let vocabulary: StatedValueVocabulary

    init(_ text: String, vocabulary: StatedValueVocabulary) {
        self.tokens = Self.tokenize(text)
        self.vocabulary = vocabulary
    }

    /// `0`–`9` only. `Character.isNumber` is also true for "²", "½" or "٣", which `Int(_:)` refuses.
    static func isDigit(_ c: Character) -> Bool {
        c.isASCII && c.isNumber
    }

    static func tokenize(_ text: String) -> [Token] {
        let chars = Self.joiningDigitGroups(Array(text.lowercased()))
        var tokens: [Token] = []
        var index = 0
        func isAlnum(_ c: Character) -> Bool { c.isLetter || Self.isDigit(c) }
        while index < chars.count {
            let c = chars[index]
            if c.isWhitespace {
                index += 1
                continue
            }
            guard isAlnum(c) else {
                tokens.append(.symbol(c))
                index += 1
                continue
            }
            var end = index
            while end < chars.count {
                let e = chars[end]
                if isAlnum(e) {
                    end += 1
                } else if e == "-" || e == "_", end + 1 < chars.count, isAlnum(chars[end + 1]) {
                    end += 1
                } else if e == "." || e == "," || e == "/", end > index, Self.isDigit(chars[end - 1]),
                    end + 1 < chars.count,
                    Self.isDigit(chars[end + 1])
                {
                    end += 1
                } else {
                    break
                }
            }
            let run = String(chars[index..<end])
            index = end
            let digits = run.filter(Self.isDigit).count
            let letters = run.filter(\.isLetter).count
            if letters == 0 {
                tokens.append(.number(run))
            } else if digits == 0 {
                tokens.append(.word(run))
            } else if let day = Self.ordinal(run) {
                tokens.append(.ordinal(day))
            } else {
                tokens.append(.mixed(run))
            }
        }
        return tokens
    }

    /// Removes the spaces Swedish (and French) put between groups of three digits (`1 234,50`, `1 234 567`, with a
    /// space, no-break space or narrow no-break space), so the number is one token: read as `1` and `234,50`, an
    /// invented `2 234,50 kr` would match a source's `1 234,50 kr`. A space is removed only between a group of one to
    /// three digits (not part of a reference or a decimal) and exactly three digits.
    static func joiningDigitGroups(_ chars: [Character]) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(chars.count)
        var joined = Set<Int>()
        for index in chars.indices {
            let c = chars[index]
            if c == " " || c == "\u{00A0}" || c == "\u{202F}", index > 0, Self.isDigit(chars[index - 1]) {
                var start = index - 1
                while start > 0, Self.isDigit(chars[start - 1]) { start -= 1 }
                let left = index - start
                let leftFits: Bool
                if start > 0, joined.contains(start - 1) {
                    leftFits = left == 3
                } else {
                    let before = start > 0 ? chars[start - 1] : " "
                    leftFits =
                        left <= 3
                        && !(before.isLetter || before == "." || before == "," || before == "-" || before == "_"
                            || before == "/")
                }
                let rightFits =
                    index + 3 < chars.count && (1...3).allSatisfy { Self.isDigit(chars[index + $0]) }
                    && (index + 4 == chars.count || !(Self.isDigit(chars[index + 4]) || chars[index + 4].isLetter))
                if leftFits && rightFits {
                    joined.insert(index)
                    continue
                }
            }
            out.append(c)
        }
        return out
    }

    /// `1st`, `22nd`, `3rd`, `4th` → the number.
    static func ordinal(_ run: String) -> Int? {
        for suffix in ["st", "nd", "rd", "th"] where run.hasSuffix(suffix) {
            let number = run.dropLast(2)
            if !number.isEmpty, number.count <= 2, number.allSatisfy(Self.isDigit) { return Int(number) }
        }
        return nil
    }

    func values() -> [StatedValue] {
        var values: [StatedValue] = []
        var index = 0
        while index < self.tokens.count {
            if let (date, next) = self.date(at: index) {
                values.append(.date(date))
                index = next
            } else if let (amount, next) = self.amount(at: index) {
                values.append(.amount(amount))
                index = next
            } else {
                switch self.tokens[index] {
                case .mixed(let run) where run.filter(Self.isDigit).count >= 3:
                    values.append(.reference(Self.normalizedReference(run)))
                case .number(let run) where run.allSatisfy(Self.isDigit) && run.count >= 5:
                    values.append(.reference(run))
                default: break
                }
                index += 1
            }
        }
        return values
    }

    static func normalizedReference(_ text: String) -> String {
        text.lowercased().filter { $0.isLetter || Self.isDigit($0) }
    }

    // MARK: Dates

    private func token(_ index: Int) -> Token? { index < self.tokens.count ? self.tokens[index] : nil }

    private func dayNumber(at index: Int) -> Int? {
        switch self.token(index) {
        case .number(let run) where run.count <= 2 && run.allSatisfy(Self.isDigit):
            Int(run).flatMap { (1...31).contains($0) ? $0 : nil }
        case .ordinal(let day) where (1...31).contains(day): day
        default: nil
        }
    }

    private func month(at index: Int) -> Int? {
        guard case .word(let word) = self.token(index) else { return nil }
        return self.vocabulary.months[word]
    }

    private func year(at index: Int) -> Int? {
        guard case .number(let run) = self.token(index), run.count == 4, run.allSatisfy(Self.isDigit),
            let year = Int(run),
            (1900...2199).contains(year)
        else { return nil }
        return year
    }

    private func skip(_ symbol: Character, at index: Int) -> Int {
        self.token(index) == .symbol(symbol) ? index + 1 : index
    }

    /// A date starting at `index` and the index after it.
    private func date(at index: Int) -> (StatedDate, Int)? {
        if case .number(let run) = self.token(index), let readings = Self.numericDate(run) {
            return (StatedDate(readings: readings), index + 1)
        }
        // 3 March 2026, 3. März, 3rd of March
        if let day = self.dayNumber(at: index) {
            var next = self.skip(".", at: index + 1)
            if self.token(next) == .word("of") { next += 1 }
            if let month = self.month(at: next) {
                next = self.skip(".", at: next + 1)
                let afterComma = self.skip(",", at: next)
                let year = self.year(at: afterComma)
                return (
                    StatedDate(readings: [.init(year: year, month: month, day: day)]),
                    year == nil ? next : afterComma + 1
                )
            }
        }
        // March 3, 2026
        if let month = self.month(at: index) {
            let dayIndex = self.skip(".", at: index + 1)
            if let day = self.dayNumber(at: dayIndex) {
                let afterComma = self.skip(",", at: dayIndex + 1)
                let year = self.year(at: afterComma)
                return (
                    StatedDate(readings: [.init(year: year, month: month, day: day)]),
                    year == nil ? dayIndex + 1 : afterComma + 1
                )
            }
        }
        return nil
    }

    /// `2026-03-03`, `03.03.2026`, `3/3/2026`, `3/4` (both day-month and month-day readings for slashes).
    static func numericDate(_ run: String) -> Set<StatedDate.Reading>? {
        // `10/11`: a day and a month in either order, no year.
        let short = run.split(separator: "/", omittingEmptySubsequences: false)
        if short.count == 2, short.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(Self.isDigit) }) {
            guard let a = Int(short[0]), let b = Int(short[1]) else { return nil }
            var readings = Set<StatedDate.Reading>()
            if (1...12).contains(b), (1...31).contains(a) { readings.insert(.init(year: nil, month: b, day: a)) }
            if (1...12).contains(a), (1...31).contains(b) { readings.insert(.init(year: nil, month: a, day: b)) }
            return readings.isEmpty ? nil : readings
        }
        for separator: Character in ["-", ".", "/"] {
            let parts = run.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(Self.isDigit) }) else { continue }
            // A part too long for `Int` is no date (and must not leave `numbers` short of three).
            let numbers = parts.compactMap { Int($0) }
            guard numbers.count == 3 else { return nil }
            func reading(_ year: Int, _ month: Int, _ day: Int) -> StatedDate.Reading? {
                (1...12).contains(month) && (1...31).contains(day) ? .init(year: year, month: month, day: day) : nil
            }
            if separator == "-" {
                guard parts[0].count == 4 else { return nil }
                return reading(numbers[0], numbers[1], numbers[2]).map { [$0] }
            }
            guard parts[2].count == 4 || parts[2].count == 2, parts[0].count <= 2, parts[1].count <= 2 else {
                return nil
            }
            let year = parts[2].count == 2 ? 2000 + numbers[2] : numbers[2]
            var readings = Set([reading(year, numbers[1], numbers[0])].compactMap { $0 })
            if separator == "/", let us = reading(year, numbers[0], numbers[1]) { readings.insert(us) }
            return readings.isEmpty ? nil : readings
        }
        return nil
    }

    // MARK: Amounts

    private func currency(at index: Int) -> String? {
        switch self.token(index) {
        case .symbol(let symbol): self.vocabulary.currencySymbols[symbol]
        case .word(let word): self.vocabulary.currencyWords[word]
        default: nil
        }
    }

    /// An amount starting at `index` (a currency before the number counts) and the index after it.
    private func amount(at index: Int) -> (StatedAmount, Int)? {
        var numberIndex = index
        var currency = self.currency(at: index)
        if currency != nil { numberIndex += 1 }
        guard case .number(let run) = self.token(numberIndex) else { return nil }
        var next = numberIndex + 1
        if currency == nil, let after = self.currency(at: next) {
            currency = after
            next += 1
        }
        guard let values = Self.thousandths(run, hasCurrency: currency != nil) else { return nil }
        return (StatedAmount(thousandths: values, currency: currency), next)
    }

    /// The readings of a number as thousandths: `49,99` → 49990; `1,249.99` → 1249990; `1,500` → 1500000 and 1500;
    /// a plain integer only when a currency is named. Nil when it is not an amount.
    static func thousandths(_ run: String, hasCurrency: Bool) -> Set<Int64>? {
        guard run.allSatisfy({ Self.isDigit($0) || $0 == "." || $0 == "," }) else { return nil }
        let groups = run.split(whereSeparator: { $0 == "." || $0 == "," }).map(String.init)
        guard let last = groups.last, groups.allSatisfy({ !$0.isEmpty && $0.count <= 12 }) else { return nil }
        // Nil beyond what Int64 holds in thousandths: such a number is no amount (and must not trap the responder).
        func value(integer: [String], fraction: String) -> Int64? {
            guard let major = Int64(integer.joined()), fraction.count <= 3 else { return nil }
            let minor = Int64(fraction.padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0
            let (thousands, overflow) = major.multipliedReportingOverflow(by: 1000)
            guard !overflow else { return nil }
            let (total, overflowAgain) = thousands.addingReportingOverflow(minor)
            return overflowAgain ? nil : total
        }
        var readings = Set<Int64>()
        if groups.count == 1 {
            guard hasCurrency, let whole = value(integer: groups, fraction: "") else { return nil }
            return [whole]
        }
        let head = Array(groups.dropLast())
        if last.count <= 2, let decimal = value(integer: head, fraction: last) { readings.insert(decimal) }
        if last.count == 3 {
            // `1,500`: thousands grouping, or three decimals.
            if head.dropFirst().allSatisfy({ $0.count == 3 }), let grouped = value(integer: groups, fraction: "") {
                readings.insert(grouped)
            }
            if let decimal = value(integer: head, fraction: last) { readings.insert(decimal) }
        }
        return readings.isEmpty ? nil : readings
    }
}

import Foundation

/// Reads labelled texts from CSV (RFC 4180): a header row naming a `text` column and a `label` (or `category`)
/// column, in any order and among other columns; fields may be quoted with `"`, a quote inside a quoted field is
/// doubled, quoted fields may hold commas and line breaks; records end with LF or CRLF; blank lines are skipped.
public enum LabeledTextCSV {
    /// The examples in the CSV file at `path`.
    public static func read(path: String) throws(LabeledTextCSVError) -> [LabeledText] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LabeledTextCSVError(.io, path: path)
        }
        return try parse([UInt8](data), path: path)
    }

    /// The examples in CSV `text`.
    public static func parse(_ text: String) throws(LabeledTextCSVError) -> [LabeledText] {
        try parse(Array(text.utf8), path: "<string>")
    }

    static func parse(_ bytes: [UInt8], path: String) throws(LabeledTextCSVError) -> [LabeledText] {
        var records = try records(bytes, path: path)
        guard !records.isEmpty else { throw LabeledTextCSVError(.unreadable, path: path) }
        let header = records.removeFirst()
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let textColumn = names.firstIndex(of: "text") else {
            throw LabeledTextCSVError(.missingColumn("text"), path: path, line: header.line)
        }
        guard let labelColumn = names.firstIndex(of: "label") ?? names.firstIndex(of: "category") else {
            throw LabeledTextCSVError(.missingColumn("label"), path: path, line: header.line)
        }
        var examples: [LabeledText] = []
        examples.reserveCapacity(records.count)
        for record in records {
            guard record.fields.count > max(textColumn, labelColumn) else {
                throw LabeledTextCSVError(.missingField, path: path, line: record.line)
            }
            examples.append(LabeledText(text: record.fields[textColumn], label: record.fields[labelColumn]))
        }
        return examples
    }

    private struct Record {
        var fields: [String]
        var line: Int
    }

    /// Splits the bytes into records of fields.
    private static func records(_ bytes: [UInt8], path: String) throws(LabeledTextCSVError) -> [Record] {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // skip a UTF-8 byte-order mark
        var fieldStarted = false  // the current record has content (so a blank line is not a record)

        func endField() throws(LabeledTextCSVError) {
            guard let string = String(validating: field, as: UTF8.self) else {
                throw LabeledTextCSVError(.unreadable, path: path, line: line)
            }
            fields.append(string)
            field.removeAll(keepingCapacity: true)
        }

        while i < bytes.count {
            let byte = bytes[i]
            if byte == quote {
                guard field.isEmpty else { throw LabeledTextCSVError(.strayQuote, path: path, line: line) }
                fieldStarted = true
                let openedOn = line
                i += 1
                var closed = false
                while i < bytes.count {
                    let b = bytes[i]
                    if b == quote {
                        if i + 1 < bytes.count && bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    if b == newline { line += 1 }
                    field.append(b)
                    i += 1
                }
                guard closed else { throw LabeledTextCSVError(.unterminatedQuote, path: path, line: openedOn) }
                // After a closing quote only a separator, a line end or the end of input may follow.
                if i < bytes.count && bytes[i] != comma && bytes[i] != newline && bytes[i] != carriageReturn {
                    throw LabeledTextCSVError(.strayQuote, path: path, line: line)
                }
                continue
            }
            if byte == comma {
                try endField()
                fieldStarted = true
                i += 1
                continue
            }
            if byte == newline || byte == carriageReturn {
                if byte == carriageReturn && i + 1 < bytes.count && bytes[i + 1] == newline { i += 1 }
                if fieldStarted || !field.isEmpty {
                    try endField()
                    records.append(Record(fields: fields, line: recordLine))
                }
                fields.removeAll()
                fieldStarted = false
                i += 1
                line += 1
                recordLine = line
                continue
            }
            field.append(byte)
            fieldStarted = true
            i += 1
        }
        if fieldStarted || !field.isEmpty {
            try endField()
            records.append(Record(fields: fields, line: recordLine))
        }
        return records
    }
}

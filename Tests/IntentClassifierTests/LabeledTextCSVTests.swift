import Foundation
import IntentClassifier
import Testing

@Suite struct LabeledTextCSVTests {
    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let csv =
            "text,category\r\n"
            + "plain text,card_arrival\r\n"
            + "\"with, comma\",card_arrival\n"
            + "\"she said \"\"hi\"\"\",greeting\n"
            + "\"two\nlines\",\"multi\"\n"
            + "\n"
            + "\"\",empty_text"
        let examples = try LabeledTextCSV.parse(csv)
        #expect(
            examples == [
                LabeledText(text: "plain text", label: "card_arrival"),
                LabeledText(text: "with, comma", label: "card_arrival"),
                LabeledText(text: "she said \"hi\"", label: "greeting"),
                LabeledText(text: "two\nlines", label: "multi"),
                LabeledText(text: "", label: "empty_text"),
            ])
    }

    @Test func findsColumnsByNameInAnyOrder() throws {
        let csv = "\u{FEFF}id,Label,text\n1,a,hello\n2,b,\"bye, now\"\n"
        let examples = try LabeledTextCSV.parse(csv)
        #expect(examples == [LabeledText(text: "hello", label: "a"), LabeledText(text: "bye, now", label: "b")])
    }

    @Test func missingLabelColumnIsReported() {
        #expect { try LabeledTextCSV.parse("text,intent\nhi,x\n") } throws: { error in
            (error as? LabeledTextCSVError)?.code == .missingColumn("label")
        }
    }

    @Test func unterminatedQuoteReportsItsLine() {
        #expect { try LabeledTextCSV.parse("text,label\nok,a\n\"never closed,b\n") } throws: { error in
            let error = error as? LabeledTextCSVError
            return error?.code == .unterminatedQuote && error?.line == 3
        }
    }

    @Test func shortRecordIsReported() {
        #expect { try LabeledTextCSV.parse("text,label\nonly text\n") } throws: { error in
            (error as? LabeledTextCSVError)?.code == .missingField
        }
    }

    @Test func readsAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
        try "text,label\n\"a, b\",x\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try LabeledTextCSV.read(path: path) == [LabeledText(text: "a, b", label: "x")])
        #expect { try LabeledTextCSV.read(path: path + ".missing") } throws: { error in
            (error as? LabeledTextCSVError)?.code == .io
        }
    }
}

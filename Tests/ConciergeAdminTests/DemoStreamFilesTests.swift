import ConciergeAdmin
import ConciergeCore
import ConciergeDemo
import Foundation
import ResponderWorker
import Testing

/// `demo stream`'s files and summary, and `demo check` reading the answer key back.
@Suite struct DemoStreamFilesTests {
    static func stream() -> DemoStream {
        let asOf = CalendarDate(year: 2026, month: 12, day: 7)
        let customers = (1...60).map { n in
            DemoCustomer(
                id: String(format: "cus_%04d", n), tier: n % 25 == 0 ? "vip" : "standard",
                language: n % 6 == 0 ? "de" : "en", market: "EU")
        }
        var facts: [String: CustomerFacts] = [:]
        for customer in customers {
            facts[customer.id] = CustomerFacts(
                customerID: customer.id,
                purchases: DemoFacts.purchases(customerID: customer.id, currency: .eur, asOf: asOf))
        }
        return DemoStreamGenerator(seed: 7, run: "t").generate(
            customers: customers, facts: facts, conversations: 40, now: Date(timeIntervalSince1970: 1_796_000_000))
    }

    @Test func wavesAndTheAnswerKeyOneDocumentALineReadBackAsWritten() throws {
        let stream = Self.stream()
        #expect(!stream.waves[0].isEmpty)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = try DemoStreamFiles.write(stream, to: directory + "/nested")
        for (index, wave) in stream.waves.enumerated() {
            let text = try String(contentsOfFile: "\(directory)/nested/wave\(index + 1).jsonl", encoding: .utf8)
            #expect(text == wave.joined(separator: "\n") + "\n")
        }
        let expectations = try DemoStreamFiles.expectations(at: directory + "/nested/expectations.jsonl")
        #expect(expectations == stream.expectations)

        var kinds: [String: Int] = [:]
        for expectation in stream.expectations { kinds[expectation.kind.rawValue, default: 0] += 1 }
        #expect(kinds.count > 1)
        let counts = kinds.keys.sorted().map { "\($0) \(kinds[$0] ?? 0)" }.joined(separator: ", ")
        #expect(
            summary
                == "demo stream: \(stream.waves[0].count) lines in wave 1, \(stream.waves[1].count) in wave 2 (\(counts))"
        )
    }
}

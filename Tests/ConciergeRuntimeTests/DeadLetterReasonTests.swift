import ConciergeCore
import ConciergeRuntime
import Foundation
import Testing

/// The dead-letter reasons are a closed set, documented once: every reason the code can give is in the table of
/// docs/contracts.md, and the table names no reason the code cannot give.
@Suite struct DeadLetterReasonTests {
    @Test func theDocumentedReasonsAreExactlyTheCodesReasons() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let contracts = try String(contentsOf: root.appendingPathComponent("docs/contracts.md"), encoding: .utf8)
        let table = contracts.components(separatedBy: "The reasons, a closed set")[1].components(separatedBy: "\n\n")[1]
        let documented = table.split(separator: "\n").dropFirst(2).compactMap { line in
            line.split(separator: "`").dropFirst().first.map(String.init)
        }
        let reasons = DeadLetterReason.all.map(\.rawValue)
        #expect(Set(reasons).count == reasons.count, "a reason is listed twice")
        #expect(documented.sorted() == reasons.sorted())
        #expect(reasons.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
    }
}

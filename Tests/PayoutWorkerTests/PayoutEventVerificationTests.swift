import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

/// The payout worker pays what the escalation worker recorded about an assignment, not what a
/// `conversation.resolved.v1` states: a forged or altered event is refused with a reason (and so dead-lettered by the
/// runtime), and books nothing.
@Suite(.enabled(if: TestServices.enabled))
struct PayoutEventVerificationTests {
    let handler = TestRateCards.handler()

    static func forged(_ id: String, _ change: (inout ConversationResolvedV1) -> Void) -> PayoutInput {
        guard case .resolved(var event, _) = Events.resolved(id, complexity: "routine", vip: false, surge: 11000) else {
            preconditionFailure("Events.resolved builds a resolution")
        }
        change(&event)
        event.messageID = "\(id).forged"
        return try! .parse(event)
    }

    @Test(arguments: [
        ("surge", "surge_bp: 50000 ≠ 11000"), ("vip", "vip: true ≠ false"),
        ("complexity", "complexity: sensitive ≠ routine"),
        ("outcome", "outcome: unresolved ≠ resolved"), ("agent", "agent_id: agent-2 ≠ agent-1"),
        ("offer", "offer_id: "),
        ("market", "market: UK ≠ EU"),
    ])
    func anEventThatContradictsTheEscalationRecordsIsRefusedAndBooksNothing(field: String, detail: String) async throws
    {
        try await PayoutTestDatabase.with { db in
            let id = "f-\(field)"
            // The escalation worker's records of the genuine resolution, but only the forged event arrives.
            try await db.seedEscalationRecords(for: [
                Events.resolved(id, complexity: "routine", vip: false, surge: 11000)
            ])
            let forged = Self.forged(id) { event in
                switch field {
                case "surge": event.surgeMultiplierBasisPoints = 50000
                case "vip": event.vip = true
                case "complexity": event.complexity = "sensitive"
                case "outcome": event.outcome = "unresolved"
                case "agent": event.agentID = "agent-2"
                case "offer": event.offerID = "\(id)-other-offer"
                default: event.market = "UK"
                }
            }
            let error = await #expect(throws: HandlerError.self) {
                try await db.apply([forged], handler: handler, seeding: false)
            }
            #expect(error?.code == .eventMismatch)
            #expect(error?.detail.contains(detail) == true, "\(error?.detail ?? "")")
            #expect(try await db.int("SELECT count(*) FROM payout_assignments") == 0)
            #expect(try await db.int("SELECT count(*) FROM ledger_entries") == 0)

            // The genuine event still pays.
            try await db.apply(
                [Events.resolved(id, complexity: "routine", vip: false, surge: 11000)], handler: handler, seeding: false
            )
            #expect(try await db.int("SELECT count(*) FROM payout_assignments") == 1)
        }
    }

    @Test func aResolutionOfAnAssignmentNobodyRecordedIsRefused() async throws {
        try await PayoutTestDatabase.with { db in
            let error = await #expect(throws: HandlerError.self) {
                try await db.apply(
                    [Events.resolved("ghost", vip: true, surge: 20000)], handler: handler, seeding: false)
            }
            let entries = try await db.int("SELECT count(*) FROM ledger_entries")
            #expect(error?.code == .unknownAssignment)
            #expect(entries == 0)
        }
    }

    /// An assignment still active (the escalation worker has not resolved it) does not pay either.
    @Test func aResolutionOfAnActiveAssignmentIsRefused() async throws {
        try await PayoutTestDatabase.with { db in
            let genuine = Events.resolved("active-1")
            try await db.seedEscalationRecords(for: [genuine])
            try await db.connection.executeScript(
                "UPDATE assignments SET state = 'active', outcome = NULL WHERE assignment_id = 'active-1'")
            let error = await #expect(throws: HandlerError.self) {
                try await db.apply([genuine], handler: handler, seeding: false)
            }
            #expect(error?.code == .eventMismatch)
            #expect(error?.detail.contains("state: resolved ≠ active") == true, "\(error?.detail ?? "")")
        }
    }
}

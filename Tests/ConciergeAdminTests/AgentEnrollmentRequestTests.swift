import ConciergeAdmin
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import EscalationWorker
import Foundation
import Logging
import Testing

/// `agents enroll` and `agents status` without their flags.
@Suite struct AgentEnrollmentRequestTests {
    @Test func listsAreCommaSeparatedWithBlanksLeftOut() {
        #expect(AgentEnrollmentRequest.list(" en, de ,,sv ") == ["en", "de", "sv"])
        #expect(AgentEnrollmentRequest.list("").isEmpty)
        let request = AgentEnrollmentRequest(customerID: "cus_1", languages: "en,de", skills: "general, payments")
        #expect(request.languages == ["en", "de"])
        #expect(request.skills == ["general", "payments"])
    }

    @Test func theApplicationIsValidatedAsTheEventWouldBe() throws {
        let now = Date(timeIntervalSince1970: 1_796_256_000)
        let application = try AgentEnrollmentRequest(customerID: "cus_1", capacity: 3).application(at: now)
        #expect(application.messageID.hasPrefix("cli."))
        #expect(application.capacity == 3)
        #expect(application.appliedAt == "2026-12-03T00:00:00.000Z")
        #expect(throws: (any Error).self) { try AgentEnrollmentRequest(customerID: "cus_1", capacity: 0).application() }
    }

    @Test func onlyActivePausedOrSuspended() {
        #expect(AgentStatusChange(agentID: "a", status: "retired", reason: "r") == nil)
        #expect(AgentStatusChange(agentID: "a", status: "paused", reason: "r")?.status == "paused")
    }
}

/// Enrolment and status changes against the real database, with customers and agents of this test only.
@Suite(.enabled(if: TestServices.enabled))
struct AgentEnrollmentDatabaseTests {
    @Test func enrolledThenUpdatedThenPausedAndUnknownOnesSaidSo() async throws {
        let logger = Logger(label: "test.agent-enrollment")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let customer = TestServices.uniqueName("cus-enrol")
        let agent = TestServices.uniqueName("agt-enrol").replacingOccurrences(of: ".", with: "_")
        let unknown = TestServices.uniqueName("cus-unknown")
        var lines: [String] = []
        var results: [Bool] = []
        do {
            _ = try await database.query(
                "INSERT INTO customers (customer_id, display_name, created_at) VALUES ($1, 'E', now() - interval '200 days')",
                [customer])
            let request = AgentEnrollmentRequest(customerID: customer, agentID: agent, languages: "en,de", purchases: 5)
            for application in [try request.application(), try request.application()] {
                let result = try await AgentEnrollmentRequest.enroll(
                    application, rules: EligibilityRules(), on: database)
                lines.append(result.line)
                results.append(result.eligible)
            }
            let rejected = try await AgentEnrollmentRequest.enroll(
                try AgentEnrollmentRequest(customerID: unknown, purchases: 5).application(), rules: EligibilityRules(),
                on: database)
            lines.append(rejected.line)
            results.append(rejected.eligible)
            for id in [agent, "agt-missing-" + agent] {
                let change = try #require(AgentStatusChange(agentID: id, status: "paused", reason: "test"))
                let result = try await change.apply(on: database)
                lines.append(result.line)
                results.append(result.found)
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        #expect(lines.count == 5)
        #expect(Array(lines.prefix(2)) == ["agents: \(agent) enrolled (active)", "agents: \(agent) updated"])
        #expect(lines[2].hasPrefix("agents: \(unknown) is not eligible: "))
        #expect(lines[2].contains("unknown_customer"))
        #expect(lines[3] == "agents: \(agent) is paused")
        #expect(lines[4].hasPrefix("agents: no agent agt-missing"))
        #expect(results == [true, true, false, true, false])
    }
}

import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Logging
import Testing

/// The escalation worker's consumers and dispatcher logged in as its own role (migration 0050) run a whole
/// conversation — offer, accept, agent message, resolve, rating — and that role cannot touch the payout ledger or
/// rewrite what the customer and the agents wrote.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct EscalationRoleTests {
    @Test func escalationRoleRunsAConversationAndIsRefusedTheRest() async throws {
        let world = try await EscalationWorld.make("role", asWorkerRole: true)
        #expect(world.workerPostgres.user == WorkerRoles.login("escalation"))
        let agent = try await world.enrollAgent("rosa")
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let conversation = try await world.inquire("one")
        let offer = try await world.pendingOffer(conversation, attempt: 1)
        try await world.send(agent, .accept, offerID: offer.offerID)
        try await world.waitForState(conversation, "assigned")
        try await world.send(agent, .message, conversationID: conversation, text: "Hello, I am on it")
        try await world.send(agent, .resolve, conversationID: conversation, outcome: "resolved")
        try await world.waitForState(conversation, "resolved")
        #expect(try await world.outboxBody("\(conversation).assignment.resolved") != nil)
        try await world.sendFeedback(
            FeedbackV1(
                messageID: "\(world.id)-fb", conversationID: conversation, agentID: agent,
                customerID: "\(world.id)-cus-one",
                csat: 4, submittedAt: Timestamps.format(Date())))
        try await world.waitUntil("rating") {
            try await world.database.query("SELECT rating_count FROM agents WHERE agent_id = $1", [agent])[0].decode(
                Int.self, named: "rating_count") == 1
        }
        await world.tearDown(tasks)

        let role = try await PostgresConnection.connect(configuration: world.workerPostgres, logger: world.logger)
        for sql in [
            "INSERT INTO ledger_entries SELECT * FROM ledger_entries WHERE false",
            "SELECT count(*) FROM ledger_entries",
            "UPDATE agent_messages SET text = '' WHERE false",
            "DELETE FROM transcript_entries WHERE false",
            "UPDATE customers SET tier = 'vip' WHERE false",
            "UPDATE purchases SET amount_minor = 1 WHERE false",
            "ALTER TABLE escalations DISABLE TRIGGER ALL",
            "TRUNCATE offers",
        ] {
            do {
                try await role.executeScript(sql)
                Issue.record("escalation role was allowed: \(sql)")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42501", "\(sql): \(error.debugDescription)")
            }
        }
        await role.close()
    }
}

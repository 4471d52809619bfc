import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import EscalationWorker
import Foundation
import Testing

/// `conciergectl conversation show ID [--json]`, the built executable, on a conversation the real escalation worker
/// carried from the line to the resolution.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ConversationShowCommandTests {
    /// The subset of the `--json` output a reader relies on.
    struct Shown: Decodable {
        var conversationID: String
        var status: String
        var customerID: String
        var channel: String
        var assignedAgentID: String?
        var transcript: [TranscriptEntry]

        enum CodingKeys: String, CodingKey {
            case conversationID = "conversation_id"
            case status
            case customerID = "customer_id"
            case channel
            case assignedAgentID = "assigned_agent_id"
            case transcript
        }
    }

    @Test func showPrintsTheTranscriptInOrderAndAsJSON() async throws {
        let world = try await EscalationWorld.make("ctlshow")
        // A long agent id (valid: ids are not length-limited to the column's width) is printed whole.
        let agent = try await world.enrollAgent("ted-from-the-evening-shift")
        #expect(agent.count > 30)
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let conversation = try await world.inquire("una")
        let customer = "\(world.id)-cus-una"
        let offer = try await world.pendingOffer(conversation, attempt: 1)
        try await world.send(agent, .accept, offerID: offer.offerID)
        try await world.waitForState(conversation, "assigned")
        try await world.send(agent, .message, conversationID: conversation, text: "Hello Una, Ted here.")
        // The agent's message and the customer's answer come in on different queues: the answer only after the message.
        try await world.waitUntil("the agent's message in the transcript") {
            try await world.database.query(
                "SELECT count(*) FROM transcript_entries WHERE conversation_id = $1 AND author = 'agent'",
                [conversation]
            ).single().decode(Int.self, named: "count") == 1
        }
        try await world.followUp("una-2", conversationID: conversation, customer: customer, text: "Where is my refund?")
        try await world.waitUntil("both messages in the transcript") {
            try await world.database.query(
                "SELECT count(*) FROM transcript_entries WHERE conversation_id = $1 AND kind = 'message'",
                [conversation]
            ).single().decode(Int.self, named: "count") == 3
        }
        try await world.send(agent, .resolve, conversationID: conversation, outcome: "resolved")
        try await world.waitForState(conversation, "resolved")
        await world.tearDown(tasks)
        let database = try await PostgresConnection.connect(configuration: world.postgres, logger: world.logger)
        let stored = try await Transcript.entries(conversationID: conversation, on: database)
        await database.close()
        #expect(
            stored.filter { $0.kind != "waiting" }.map(\.kind) == [
                "message", "offered", "assigned", "message", "message", "resolved",
            ])

        // Text: a header, then one line per entry in order.
        let text = await Self.run(["conversation", "show", conversation])
        #expect(text.status == 0, "\(text.output) \(text.errors)")
        let lines = text.output.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "conversation \(conversation): resolved, customer \(customer), channel chat, agent \(agent)",
            "\(text.output)")
        #expect(lines.count == stored.count + 1, "\(text.output)")
        for (line, entry) in zip(lines.dropFirst(), stored) {
            let who: String
            switch entry.author {
            case .customer: who = "customer"
            case .agent: who = "agent \(agent)"
            case .system: who = "system"
            case .ai: who = "AI"
            }
            let kind = entry.kind == "message" ? "" : "[\(entry.kind)] "
            #expect(line.hasPrefix(String(format: "%3d  ", entry.seq)), "\(line)")
            #expect(line.contains("  \(who) "), "\(line)")
            #expect(line.hasSuffix(" \(kind)\(entry.text)"), "\(line)")
        }
        #expect(lines.contains { $0.hasSuffix("[resolved] \(stored.last { $0.kind == "resolved" }?.text ?? "?")") })
        let first = try #require(lines.firstIndex { $0.hasSuffix("I need a person") })
        let reply = try #require(lines.firstIndex { $0.hasSuffix("Hello Una, Ted here.") })
        let followUp = try #require(lines.firstIndex { $0.hasSuffix("Where is my refund?") })
        #expect(first < reply && reply < followUp)

        // JSON: the same entries, in the same order, as the stored transcript.
        let json = await Self.run(["conversation", "show", conversation, "--json"])
        #expect(json.status == 0, "\(json.output) \(json.errors)")
        let shown = try JSONDecoder().decode(Shown.self, from: Data(json.output.utf8))
        #expect(shown.conversationID == conversation)
        #expect(shown.status == "resolved")
        #expect(shown.customerID == customer)
        #expect(shown.channel == "chat")
        #expect(shown.assignedAgentID == agent)
        #expect(shown.transcript == stored)
        #expect(shown.transcript.map(\.seq) == Array(1...stored.count))
        #expect(
            shown.transcript.filter { $0.kind == "message" }.map(\.text) == [
                "I need a person", "Hello Una, Ted here.", "Where is my refund?",
            ])
        #expect(shown.transcript.filter { $0.kind == "message" }.map(\.author) == [.customer, .agent, .customer])

        // An unknown conversation: exit 2 and a plain message.
        let missing = await Self.run(["conversation", "show", "\(world.id)-no-such"])
        #expect(missing.status == 2)
        #expect(missing.output.contains("no conversation \(world.id)-no-such"))
    }

    /// Runs the built `conciergectl` against the test database; what it printed and what it logged.
    static func run(_ arguments: [String]) async -> (status: Int32, output: String, errors: String) {
        let run = await CommandLineRun.run(arguments, environment: ["POSTGRES_URL": TestServices.postgresURL])
        return (run.status, run.output, run.errors)
    }
}

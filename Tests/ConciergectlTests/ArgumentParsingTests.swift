import ArgumentParser
import Testing

@testable import conciergectl

/// What is left in the executable: each command's options, their defaults and their validation.
@Suite struct ArgumentParsingTests {
    @Test func benchPipelineRejectsNoMessagesAndANegativeRate() throws {
        #expect(throws: (any Error).self) { try Conciergectl.parseAsRoot(["bench", "pipeline", "--messages", "0"]) }
        #expect(throws: (any Error).self) { try Conciergectl.parseAsRoot(["bench", "pipeline", "--rate", "-1"]) }
        let command = try #require(
            try Conciergectl.parseAsRoot(["bench", "pipeline", "--worker-ports", "9201, 9202", "--human-share", "0.2"])
                as? BenchPipelineCommand)
        #expect(command.workerPorts == "9201, 9202")
        #expect(command.humanShare == 0.2)
        #expect(command.messages == 10_000)
    }

    @Test func simulateAgentsDefaults() throws {
        let command = try #require(
            try Conciergectl.parseAsRoot(["simulate", "agents", "--market", "SE"]) as? SimulateAgentsCommand)
        #expect(command.market == "SE")
        #expect(command.count == 50)
        #expect(command.acceptPercent == 85)
        #expect(command.seed == 42)
    }

    @Test func reportTakesOneOutputFormatAndISOTimes() throws {
        #expect(throws: (any Error).self) { try Conciergectl.parseAsRoot(["report", "--json", "--prometheus"]) }
        #expect(throws: (any Error).self) { try Conciergectl.parseAsRoot(["report", "--since", "yesterday"]) }
        #expect(try Conciergectl.parseAsRoot(["report", "--since", "2026-12-01"]) is ReportCommand)
    }

    @Test func conversationShowNeedsAnID() throws {
        #expect(throws: (any Error).self) { try Conciergectl.parseAsRoot(["conversation", "show"]) }
        let command = try #require(
            try Conciergectl.parseAsRoot(["conversation", "show", "c-1", "--json"]) as? ConversationShowCommand)
        #expect(command.id == "c-1")
        #expect(command.json)
    }
}

import ArgumentParser
import ConciergeAdmin
import ConciergeRuntime
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

    @Test func trainingFlagsBecomeOverridesAndCharNGramsMustBeMinDashMax() throws {
        let command = try #require(
            try Conciergectl.parseAsRoot([
                "bench", "classifier", "--char-ngrams", "2-4", "--min-df", "1", "--squared-hinge", "--epochs", "3",
            ]) as? BenchClassifierCommand)
        let overrides = try command.training.overrides()
        #expect(overrides.charNGrams == 2...4)
        #expect(overrides.minDocumentFrequency == 1)
        #expect(overrides.squaredHinge)
        #expect(overrides.epochs == 3)
        #expect(overrides.learningRate == nil)
        #expect(!overrides.crossWordChars)
        let bad = try #require(
            try Conciergectl.parseAsRoot(["bench", "classifier", "--char-ngrams", "5-2"]) as? BenchClassifierCommand)
        #expect(throws: ValidationError.self) { try bad.training.overrides() }
        #expect(throws: (any Error).self) { try Conciergectl.parseAsRoot(["train", "--out", "m.bin"]) }
    }

    @Test func deadLettersTakeExactlyOneSelection() throws {
        func selection(_ arguments: [String]) throws -> DeadLetterSelection {
            let command = try #require(
                try Conciergectl.parseAsRoot(["dead-letters", "export"] + arguments) as? DeadLettersExport)
            return try command.which.selection()
        }
        guard case .ids(let ids) = try selection(["--id", "4", "--id", "9"]) else {
            Issue.record("--id")
            return
        }
        #expect(ids == [4, 9])
        guard case .pending = try selection(["--all"]) else {
            Issue.record("--all")
            return
        }
        #expect(throws: ValidationError.self) { try selection([]) }
        #expect(throws: ValidationError.self) { try selection(["--all", "--reason", "poison"]) }
    }
}

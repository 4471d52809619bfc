import ArgumentParser
import ConciergeAMQP
import ConciergeAdmin
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import Foundation

/// `conciergectl dead-letters …`: the dead-letter archive.
///
/// `archive` moves dead letters from the `concierge.dead-letter` queue into the `dead_letters` table (ack after
/// commit; `--follow` keeps running beside the workers). Everything else works on the table, so looking at, exporting
/// or replaying dead letters never takes them from the queue, raises a delivery count or reorders the rest.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "Archive, list, show, export, replay and purge dead letters.",
        subcommands: [
            DeadLettersList.self, DeadLettersShow.self, DeadLettersExport.self, DeadLettersReplay.self,
            DeadLettersPurge.self, DeadLettersArchive.self,
        ],
        defaultSubcommand: DeadLettersList.self
    )
}

/// Which dead letters a command takes: `--id` (repeatable), `--reason`, or `--all` pending ones.
struct DeadLetterSelectionOptions: ParsableArguments {
    @Option(name: .customLong("id"), help: "An archive id (repeatable).")
    var ids: [Int64] = []

    @Option(help: "Every pending dead letter with this reason.")
    var reason: String?

    @Flag(help: "Every pending dead letter.")
    var all = false

    func selection() throws -> DeadLetterSelection {
        guard let selection = DeadLetterSelection(ids: self.ids, reason: self.reason, all: self.all) else {
            throw ValidationError("choose exactly one of --id, --reason, --all")
        }
        return selection
    }
}

struct DeadLettersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Pending dead letters by reason, and the newest of them (plus what still waits in the queue)."
    )

    @Option(help: "Only this reason.")
    var reason: String?

    @Option(help: "Most rows to print.")
    var limit = 20

    func run() async throws {
        let context = try await CommandContext.make()
        try await context.withDatabase("dead-letters", migrate: true) { database in
            let publisher = try await AMQPPublisher.connect(
                configuration: try context.configuration.amqp(connectionName: "conciergectl-dead-letters"),
                logger: context.logger
            )
            // A passive declare: counts what the archiver has not taken yet, without receiving anything.
            let waiting = try await publisher.queueStatus(FleetNames.deadLetterQueue)
            await publisher.close()
            let listing = try await DeadLetterListing.load(reason: self.reason, on: database)
            let lines = listing.lines(
                queue: FleetNames.deadLetterQueue, waiting: waiting.map { Int($0.messageCount) }, limit: self.limit)
            lines.forEach { print($0) }
        }
    }
}

struct DeadLettersShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One dead letter: headers, reason, detail.")

    @Argument(help: "The archive id.")
    var id: Int64

    @Flag(help: "Print the body too (it may hold customer text).")
    var body = false

    func run() async throws {
        let context = try await CommandContext.make()
        let letter = try await context.withDatabase("dead-letters", migrate: true) { database in
            try await DeadLetterArchive.list(.ids([self.id]), on: database).first
        }
        guard let letter else { throw ValidationError("no dead letter \(self.id)") }
        DeadLetterReport(letter, body: self.body).lines.forEach { print($0) }
    }
}

struct DeadLettersExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Dead letters as JSON lines (standard output or --output)."
    )

    @OptionGroup var which: DeadLetterSelectionOptions

    @Option(help: "File to write (default: standard output).")
    var output: String?

    func run() async throws {
        let context = try await CommandContext.make()
        let lines = try await context.withDatabase("dead-letters", migrate: true) { database in
            try await DeadLetterExport.jsonLines(try self.which.selection(), on: database)
        }
        let text = lines.map { $0 + "\n" }.joined()
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("exported \(lines.count) dead letters to \(output)\n".utf8))
        } else {
            print(text, terminator: "")
        }
    }
}

struct DeadLettersReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Publish dead letters back to their queue (confirmed; retry count reset; x-concierge-replayed set).",
        discussion: "A replayed message that was already applied is skipped by its consumer's inbox (applied once)."
    )

    @OptionGroup var which: DeadLetterSelectionOptions

    @Option(help: "Most messages to replay.")
    var limit = 10_000

    func run() async throws {
        let context = try await CommandContext.make()
        let result = try await context.withDatabase("dead-letters", migrate: true) { database in
            let amqp = try context.configuration.amqp(connectionName: "conciergectl-dead-letters")
            let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: context.logger)
            do {
                let result = try await DeadLetterArchive.replay(
                    try self.which.selection(), limit: self.limit, publisher: publisher, replayer: amqp.username,
                    on: database)
                await publisher.close()
                return result
            } catch {
                await publisher.close()
                throw error
            }
        }
        print("replayed: \(result.replayed)")
        if !result.refused.isEmpty {
            print(
                "not replayed (the broker refused or could not route them; still pending): \(result.refused.map(String.init).joined(separator: ", "))"
            )
            throw ExitCode.failure
        }
    }
}

struct DeadLettersPurge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Delete dead letters from the archive.")

    @OptionGroup var which: DeadLetterSelectionOptions

    @Flag(help: "Delete those already replayed (instead of a selection).")
    var replayed = false

    func run() async throws {
        let context = try await CommandContext.make()
        let count = try await context.withDatabase("dead-letters", migrate: true) { database in
            let selection: DeadLetterSelection = self.replayed ? .replayed : try self.which.selection()
            return try await DeadLetterArchive.purge(selection, on: database)
        }
        print("purged: \(count)")
    }
}

struct DeadLettersArchive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Move dead letters from the dead-letter queue into the archive table (ack after commit)."
    )

    @Flag(help: "Keep running (a service beside the workers) instead of stopping once the queue is empty.")
    var follow = false

    @Option(help: "The queue to archive.")
    var queue = FleetNames.deadLetterQueue

    func run() async throws {
        let context = try await CommandContext.make()
        try await context.withDatabase("dead-letters", migrate: true) { _ in }
        let archiver = DeadLetterArchiver(
            amqp: try context.configuration.amqp(connectionName: "conciergectl-dead-letters-archive"),
            postgres: try context.configuration.postgres(applicationName: "conciergectl-dead-letters"),
            queue: self.queue, logger: context.logger, stopWhenIdleFor: self.follow ? nil : .seconds(1)
        )
        let archived = try await archiver.archive()
        print("archived: \(archived)")
    }
}

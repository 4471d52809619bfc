import ArgumentParser
import ConciergeAdmin
import ConciergePostgres
import ConciergeRuntime

/// `conciergectl conversation show ID [--json]`: a conversation's state and its whole transcript, in order.
struct ConversationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversation", abstract: "Inspect conversations.", subcommands: [ConversationShowCommand.self]
    )
}

struct ConversationShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a conversation's transcript.")

    @Argument(help: "The conversation id.") var id: String
    @Flag(help: "JSON: {conversation_id, status, customer_id, channel, assigned_agent_id, transcript: [...]}.")
    var json = false

    func run() async throws {
        let context = try await CommandContext.make()
        let view = try await context.withDatabase("conversation") { database in
            try await ConversationView.load(conversationID: self.id, on: database)
        }
        guard let view else {
            print("conversation: no conversation \(self.id)")
            throw ExitCode(2)
        }
        print(self.json ? try view.json() : view.text)
    }
}

/// An outbox row the relay is about to publish.
struct OutboxRow: Sendable {
    var id: Int64
    var message: OutgoingMessage
}

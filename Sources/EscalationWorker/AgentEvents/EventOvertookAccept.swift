/// A transient failure: an agent's event about a conversation arrived while the agent's offer for it is still
/// pending (its accept is probably right behind, on another consumer). The runtime retries it through the retry
/// tiers; if the offer expires instead, the retry is refused as `not_assigned`.
struct EventOvertookAccept: Error, CustomStringConvertible {
    var conversationID: String

    var description: String { "event for \(conversationID) arrived before the agent's accept" }
}

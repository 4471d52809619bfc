/// What the broker said about one published message.
public enum AMQPPublishOutcome: Sendable, Equatable {
    /// The broker took responsibility for the message (basic.ack): it is routed, and persisted where durable.
    case confirmed
    /// The broker refused the message (basic.nack), e.g. a full queue with `x-overflow: reject-publish`.
    case nacked
    /// The message was mandatory and unroutable (basic.return, usually 312 NO_ROUTE); nothing holds it.
    case returned(replyCode: Int, replyText: String)
}

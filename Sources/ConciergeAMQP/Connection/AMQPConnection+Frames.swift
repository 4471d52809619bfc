internal import CRabbitMQ
import Logging

extension AMQPConnection {
    /// Handles the broker-initiated methods every role treats the same way:
    /// - connection.close: answers close-ok and throws ``AMQPError/Code/connectionClosed``;
    /// - channel.close: answers close-ok and throws ``AMQPError/Code/channelClosed``;
    /// - connection.blocked / unblocked: logged (publishing stalls while blocked).
    /// Returns `false` for any other method.
    func handleCommonMethod(_ frame: amqp_frame_t, logger: Logger) throws(AMQPError) -> Bool {
        let method = frame.payload.method
        switch method.id {
        case AMQPMethod.connectionClose:
            let close = method.decoded!.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            let error = AMQPError(
                .connectionClosed, operation: "connection", replyCode: Int(close.reply_code),
                replyText: close.reply_text.string)
            sendConnectionCloseOk()
            throw error
        case AMQPMethod.channelClose:
            let close = method.decoded!.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let error = AMQPError(
                .channelClosed, operation: "channel", replyCode: Int(close.reply_code),
                replyText: close.reply_text.string)
            try sendChannelCloseOk(frame.channel)
            throw error
        case AMQPMethod.connectionBlocked:
            let blocked = method.decoded!.assumingMemoryBound(to: amqp_connection_blocked_t.self).pointee
            logger.warning(
                "AMQP connection blocked by the broker", metadata: [AMQPLogKey.reason: "\(blocked.reason.string)"])
            return true
        case AMQPMethod.connectionUnblocked:
            logger.info("AMQP connection unblocked by the broker")
            return true
        default:
            return false
        }
    }
}

internal import CRabbitMQ
import Logging

/// The publisher's side of its loop: channel 1 in confirm mode for publishing, channel 2 (opened on demand)
/// for declares and queue admin, so a 404 there never disturbs outstanding confirms. Confined to the loop thread.
final class AMQPPublisherDriver: AMQPLoopDriver {
    typealias Command = AMQPPublisherCommand

    private static let publishChannel: UInt16 = 1
    private static let adminChannel: UInt16 = 2

    /// A published batch waiting for its confirms. Delivery tag `firstTag + i` is message `i`.
    private final class Batch {
        let firstTag: UInt64
        let messages: [AMQPMessage]
        var outcomes: [AMQPPublishOutcome?]
        /// Messages the broker returned (basic.return); their ack turns into `.returned`.
        var returns: [Int: (replyCode: Int, replyText: String)] = [:]
        /// Every index below this one has an outcome.
        var resolvedPrefix = 0
        var unresolved: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<[AMQPPublishOutcome], any Error>

        init(
            firstTag: UInt64, messages: [AMQPMessage], deadline: ContinuousClock.Instant,
            continuation: CheckedContinuation<[AMQPPublishOutcome], any Error>
        ) {
            self.firstTag = firstTag
            self.messages = messages
            self.outcomes = Array(repeating: nil, count: messages.count)
            self.unresolved = messages.count
            self.deadline = deadline
            self.continuation = continuation
        }

        var lastTag: UInt64 { firstTag + UInt64(messages.count) - 1 }

        func resolve(_ index: Int, _ outcome: AMQPPublishOutcome) {
            guard outcomes[index] == nil else { return }
            if outcome == .confirmed, let returned = returns[index] {
                outcomes[index] = .returned(replyCode: returned.replyCode, replyText: returned.replyText)
            } else {
                outcomes[index] = outcome
            }
            unresolved -= 1
            while resolvedPrefix < outcomes.count, outcomes[resolvedPrefix] != nil { resolvedPrefix += 1 }
        }
    }

    private let configuration: AMQPConfiguration
    private let logger: Logger
    private let clock = ContinuousClock()
    private var batches: [Batch] = []
    private var nextTag: UInt64 = 1
    private var adminChannelOpen = false
    /// Commands that arrived while disconnected, with the instant they give up.
    private var parked: [(command: Command, deadline: ContinuousClock.Instant)] = []
    private var lastConnectError: AMQPError?

    init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    var wantsConnection: Bool { !parked.isEmpty }

    func setUp(_ connection: AMQPConnection) throws(AMQPError) {
        adminChannelOpen = false
        nextTag = 1
        try connection.openChannel(Self.publishChannel)
        try connection.confirmSelect(channel: Self.publishChannel)
        lastConnectError = nil
    }

    func connected(_ connection: AMQPConnection) throws(AMQPError) {
        let waiting = parked
        parked = []
        for (command, _) in waiting {
            _ = try handle(command, connection: connection)
        }
    }

    func connectionLost(_ error: AMQPError) {
        adminChannelOpen = false
        var error = error
        if error.code != .channelClosed { error.code = .connectionClosed }
        error.operation = "publish"
        failBatches(error)
    }

    func connectAttemptFailed(_ error: AMQPError) {
        lastConnectError = error
    }

    func handle(_ command: Command, connection: AMQPConnection?) throws(AMQPError) -> AMQPLoopControl {
        if case .close(let continuation) = command {
            failBatches(AMQPError(.closed, operation: "publish", detail: "publisher closed"))
            return .stop(continuation)
        }
        guard let connection else {
            parked.append((command, clock.now + configuration.operationTimeout))
            return .proceed
        }
        switch command {
        case .publish(let messages, let continuation):
            guard !messages.isEmpty else {
                continuation.resume(returning: [])
                return .proceed
            }
            let batch = Batch(
                firstTag: nextTag, messages: messages, deadline: clock.now + configuration.operationTimeout,
                continuation: continuation)
            batches.append(batch)  // registered first: a failed write fails it through connectionLost
            nextTag += UInt64(messages.count)
            if messages.count == 1 {
                try connection.publish(messages[0], channel: Self.publishChannel)
            } else {
                try connection.corked { () throws(AMQPError) in
                    for message in messages {
                        try connection.publish(message, channel: Self.publishChannel)
                    }
                }
            }
        case .declare(let topology, let continuation):
            try admin(connection, continuation) { connection throws(AMQPError) in
                try connection.declare(topology, channel: Self.adminChannel)
            }
        case .queueStatus(let queue, let continuation):
            do {
                let status = try onAdminChannel(connection) { connection throws(AMQPError) in
                    try connection.queueStatus(queue, channel: Self.adminChannel)
                }
                continuation.resume(returning: status)
            } catch  where error.code == .channelClosed && error.replyCode == 404 {
                continuation.resume(returning: nil)
            } catch {
                continuation.resume(throwing: error)
                if error.code != .channelClosed { throw error }
            }
        case .purgeQueue(let queue, let continuation):
            try admin(connection, continuation) { connection throws(AMQPError) in
                try connection.purgeQueue(queue, channel: Self.adminChannel)
            }
        case .deleteQueue(let queue, let ifEmpty, let continuation):
            try admin(connection, continuation) { connection throws(AMQPError) in
                try connection.deleteQueue(queue, ifEmpty: ifEmpty, channel: Self.adminChannel)
            }
        case .deleteExchange(let exchange, let continuation):
            try admin(connection, continuation) { connection throws(AMQPError) in
                try connection.deleteExchange(exchange, channel: Self.adminChannel)
            }
        case .unbind(let binding, let continuation):
            try admin(connection, continuation) { connection throws(AMQPError) in
                try connection.unbind(binding, channel: Self.adminChannel)
            }
        case .close:
            break
        }
        return .proceed
    }

    /// Runs `body` on the admin channel and resumes `continuation` with its result. A channel error fails only
    /// this command; anything else also breaks the connection (rethrown).
    private func admin<T: Sendable>(
        _ connection: AMQPConnection, _ continuation: CheckedContinuation<T, any Error>,
        _ body: (AMQPConnection) throws(AMQPError) -> T
    ) throws(AMQPError) {
        do {
            continuation.resume(returning: try onAdminChannel(connection, body))
        } catch {
            continuation.resume(throwing: error)
            if error.code != .channelClosed { throw error }
        }
    }

    private func onAdminChannel<T>(
        _ connection: AMQPConnection, _ body: (AMQPConnection) throws(AMQPError) -> T
    ) throws(AMQPError) -> T {
        if !adminChannelOpen {
            try connection.openChannel(Self.adminChannel)
            adminChannelOpen = true
        }
        do {
            return try body(connection)
        } catch {
            if error.code == .channelClosed { adminChannelOpen = false }
            throw error
        }
    }

    func handle(method frame: amqp_frame_t, connection: AMQPConnection) throws(AMQPError) {
        let method = frame.payload.method
        switch method.id {
        case AMQPMethod.basicAck:
            let ack = method.decoded!.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            resolve(tag: ack.delivery_tag, multiple: ack.multiple != 0, as: .confirmed)
        case AMQPMethod.basicNack:
            let nack = method.decoded!.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            resolve(tag: nack.delivery_tag, multiple: nack.multiple != 0, as: .nacked)
            // A channel that once published to a quorum queue keeps being nacked after the node leading that queue is
            // lost, while a new connection is acked (README, "Measured figures"), so a nack recycles the connection
            // once nothing else waits for a confirm. Callers retry nacked messages.
            if batches.isEmpty {
                throw AMQPError(
                    .connectionClosed, operation: "publish", detail: "broker nacked a publish; reopening the connection"
                )
            }
        case AMQPMethod.basicReturn:
            let returned = method.decoded!.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            let replyCode = Int(returned.reply_code)
            let replyText = returned.reply_text.string
            let exchange = returned.exchange.string
            let routingKey = returned.routing_key.string
            let body = try connection.readContent(channel: frame.channel) { $0.body.array }
            recordReturn(
                exchange: exchange, routingKey: routingKey, body: body, replyCode: replyCode, replyText: replyText)
        case AMQPMethod.channelClose where frame.channel == Self.adminChannel:
            adminChannelOpen = false
            try connection.sendChannelCloseOk(frame.channel)
        default:
            if try !connection.handleCommonMethod(frame, logger: logger) {
                logger.debug("AMQP publisher ignored a method", metadata: [AMQPLogKey.method: "\(method.id)"])
            }
        }
    }

    /// A basic.return carries no delivery tag: it belongs to the earliest unconfirmed mandatory message with the
    /// same exchange, routing key and body (the broker returns before it acks, in publish order).
    private func recordReturn(exchange: String, routingKey: String, body: [UInt8], replyCode: Int, replyText: String) {
        for batch in batches {
            for index in batch.resolvedPrefix..<batch.messages.count
            where batch.outcomes[index] == nil && batch.returns[index] == nil {
                let message = batch.messages[index]
                if message.mandatory, message.exchange == exchange, message.routingKey == routingKey,
                    message.body == body
                {
                    batch.returns[index] = (replyCode, replyText)
                    return
                }
            }
        }
        logger.warning(
            "AMQP basic.return matched no outstanding message",
            metadata: [AMQPLogKey.exchange: "\(exchange)", AMQPLogKey.replyCode: "\(replyCode)"])
    }

    private func resolve(tag: UInt64, multiple: Bool, as outcome: AMQPPublishOutcome) {
        var finished = false
        for batch in batches {
            if multiple {
                guard batch.firstTag <= tag else { break }
                let end = Int(min(tag, batch.lastTag) - batch.firstTag)
                var index = batch.resolvedPrefix
                while index <= end {
                    batch.resolve(index, outcome)
                    index += 1
                }
            } else if (batch.firstTag...batch.lastTag).contains(tag) {
                batch.resolve(Int(tag - batch.firstTag), outcome)
            }
            if batch.unresolved == 0 { finished = true }
            if !multiple && tag <= batch.lastTag { break }
        }
        guard finished else { return }
        batches.removeAll { batch in
            guard batch.unresolved == 0 else { return false }
            batch.continuation.resume(returning: batch.outcomes.map { $0! })
            return true
        }
    }

    func endOfInput() {}

    func nextDeadline() -> ContinuousClock.Instant? {
        let batchDeadline = batches.lazy.map(\.deadline).min()
        let parkedDeadline = parked.lazy.map(\.deadline).min()
        switch (batchDeadline, parkedDeadline) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (nil, nil): return nil
        }
    }

    func fireTimers(now: ContinuousClock.Instant, connection: AMQPConnection?) throws(AMQPError) {
        if batches.contains(where: { $0.deadline <= now }) {
            batches.removeAll { batch in
                guard batch.deadline <= now else { return false }
                batch.continuation.resume(
                    throwing: AMQPError(.timeout, operation: "publish", detail: "no publisher confirm in time"))
                return true
            }
        }
        if parked.contains(where: { $0.deadline <= now }) {
            let error = lastConnectError ?? AMQPError(.connectionClosed, operation: "connect")
            parked.removeAll { entry in
                guard entry.deadline <= now else { return false }
                var failure = error
                failure.operation = entry.command.operation
                if failure.code != .authenticationFailed && failure.code != .timeout {
                    failure.code = .connectionClosed
                }
                entry.command.fail(failure)
                return true
            }
        }
    }

    func shutDown(leftover: [Command]) {
        let error = AMQPError(.closed, operation: "publish", detail: "publisher closed")
        failBatches(error)
        for (command, _) in parked { command.fail(error) }
        parked = []
        for command in leftover { command.fail(error) }
    }

    private func failBatches(_ error: AMQPError) {
        let failed = batches
        batches = []
        for batch in failed { batch.continuation.resume(throwing: error) }
    }
}

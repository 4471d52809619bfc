internal import CRabbitMQ

/// Channel-level operations, each one blocking rabbitmq-c call (an RPC bounded by the operation timeout, or a
/// socket write). Called only on the owning loop's thread.
extension AMQPConnection {
    // MARK: Topology

    func declare(_ topology: AMQPTopology, channel: UInt16) throws(AMQPError) {
        defer { arena.recycle() }
        for exchange in topology.exchanges {
            let ok = amqp_exchange_declare(
                state, channel, arena.bytes(exchange.name), arena.bytes(exchange.type), 0, exchange.durable ? 1 : 0,
                0, exchange.internal ? 1 : 0, AMQPFieldValue.cTable(exchange.arguments, in: arena))
            if ok == nil { try checkLastReply(operation: "exchange.declare", channel: channel) }
        }
        for queue in topology.queues {
            let ok = amqp_queue_declare(
                state, channel, arena.bytes(queue.name), 0, queue.durable ? 1 : 0, 0, 0,
                AMQPFieldValue.cTable(queue.arguments, in: arena))
            if ok == nil { try checkLastReply(operation: "queue.declare", channel: channel) }
        }
        for binding in topology.bindings {
            let ok = amqp_queue_bind(
                state, channel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                arena.bytes(binding.routingKey), AMQPFieldValue.cTable(binding.arguments, in: arena))
            if ok == nil { try checkLastReply(operation: "queue.bind", channel: channel) }
        }
    }

    /// A passive queue.declare. A missing queue closes the channel (404): that surfaces as `.channelClosed`.
    func queueStatus(_ queue: String, channel: UInt16) throws(AMQPError) -> AMQPQueueStatus {
        defer { arena.recycle() }
        guard let ok = amqp_queue_declare(state, channel, arena.bytes(queue), 1, 0, 0, 0, amqp_empty_table) else {
            try checkLastReply(operation: "queue.declare passive", channel: channel)
        }
        return AMQPQueueStatus(messageCount: ok.pointee.message_count, consumerCount: ok.pointee.consumer_count)
    }

    func purgeQueue(_ queue: String, channel: UInt16) throws(AMQPError) -> UInt32 {
        defer { arena.recycle() }
        guard let ok = amqp_queue_purge(state, channel, arena.bytes(queue)) else {
            try checkLastReply(operation: "queue.purge", channel: channel)
        }
        return ok.pointee.message_count
    }

    func deleteQueue(_ queue: String, ifEmpty: Bool = false, channel: UInt16) throws(AMQPError) {
        defer { arena.recycle() }
        if amqp_queue_delete(state, channel, arena.bytes(queue), 0, ifEmpty ? 1 : 0) == nil {
            try checkLastReply(operation: "queue.delete", channel: channel)
        }
    }

    func unbind(_ binding: AMQPTopology.Binding, channel: UInt16) throws(AMQPError) {
        defer { arena.recycle() }
        let ok = amqp_queue_unbind(
            state, channel, arena.bytes(binding.queue), arena.bytes(binding.exchange), arena.bytes(binding.routingKey),
            AMQPFieldValue.cTable(binding.arguments, in: arena))
        if ok == nil { try checkLastReply(operation: "queue.unbind", channel: channel) }
    }

    func deleteExchange(_ exchange: String, channel: UInt16) throws(AMQPError) {
        defer { arena.recycle() }
        if amqp_exchange_delete(state, channel, arena.bytes(exchange), 0) == nil {
            try checkLastReply(operation: "exchange.delete", channel: channel)
        }
    }

    // MARK: Publishing

    func confirmSelect(channel: UInt16) throws(AMQPError) {
        if amqp_confirm_select(state, channel) == nil {
            try checkLastReply(operation: "confirm.select", channel: channel)
        }
    }

    /// Writes one basic.publish (method, header and body frames).
    func publish(_ message: AMQPMessage, channel: UInt16) throws(AMQPError) {
        defer { arena.recycle() }  // rabbitmq-c has encoded everything into its frames by the time it returns
        var properties = message.properties.cProperties(in: arena)
        let status = message.body.withUnsafeBytes { body in
            amqp_basic_publish(
                state, channel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                message.mandatory ? 1 : 0, 0, &properties,
                amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress)))
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            abandon()
            throw libraryError(status, operation: "basic.publish", code: .connectionClosed)
        }
    }

    // MARK: Consuming

    func qos(prefetch: UInt16, channel: UInt16) throws(AMQPError) {
        if amqp_basic_qos(state, channel, 0, prefetch, 0) == nil {
            try checkLastReply(operation: "basic.qos", channel: channel)
        }
    }

    /// Subscribes with manual acks; returns the consumer tag the broker assigned.
    func consume(queue: String, channel: UInt16) throws(AMQPError) -> String {
        defer { arena.recycle() }
        guard
            let ok = amqp_basic_consume(state, channel, arena.bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table)
        else {
            try checkLastReply(operation: "basic.consume", channel: channel)
        }
        return ok.pointee.consumer_tag.string
    }

    /// Sends basic.cancel without waiting; the broker answers with basic.cancel-ok, handled as a frame.
    func cancel(consumerTag: String, channel: UInt16) throws(AMQPError) {
        defer { arena.recycle() }
        var method = amqp_basic_cancel_t(consumer_tag: arena.bytes(consumerTag), nowait: 0)
        try send(AMQPMethod.basicCancel, channel: channel, &method, operation: "basic.cancel")
    }

    func ack(tag: UInt64, multiple: Bool, channel: UInt16) throws(AMQPError) {
        let status = amqp_basic_ack(state, channel, tag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else {
            abandon()
            throw libraryError(status, operation: "basic.ack", code: .connectionClosed)
        }
    }

    func nack(tag: UInt64, requeue: Bool, channel: UInt16) throws(AMQPError) {
        let status = amqp_basic_nack(state, channel, tag, 0, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else {
            abandon()
            throw libraryError(status, operation: "basic.nack", code: .connectionClosed)
        }
    }

    func reject(tag: UInt64, requeue: Bool, channel: UInt16) throws(AMQPError) {
        let status = amqp_basic_reject(state, channel, tag, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else {
            abandon()
            throw libraryError(status, operation: "basic.reject", code: .connectionClosed)
        }
    }
}

internal import CRabbitMQ

extension AMQPProperties {
    /// Encodes the properties into C memory owned by `arena`.
    func cProperties(in arena: CArena) -> amqp_basic_properties_t {
        var properties = amqp_basic_properties_t()
        var flags = UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG)
        properties.delivery_mode = persistent ? 2 : 1
        func set(_ value: String?, _ flag: Int32, _ field: inout amqp_bytes_t) {
            guard let value else { return }
            field = arena.bytes(value)
            flags |= UInt32(flag)
        }
        set(contentType, AMQP_BASIC_CONTENT_TYPE_FLAG, &properties.content_type)
        set(contentEncoding, AMQP_BASIC_CONTENT_ENCODING_FLAG, &properties.content_encoding)
        set(correlationId, AMQP_BASIC_CORRELATION_ID_FLAG, &properties.correlation_id)
        set(replyTo, AMQP_BASIC_REPLY_TO_FLAG, &properties.reply_to)
        set(expiration, AMQP_BASIC_EXPIRATION_FLAG, &properties.expiration)
        set(messageId, AMQP_BASIC_MESSAGE_ID_FLAG, &properties.message_id)
        set(type, AMQP_BASIC_TYPE_FLAG, &properties.type)
        set(appId, AMQP_BASIC_APP_ID_FLAG, &properties.app_id)
        set(userId, AMQP_BASIC_USER_ID_FLAG, &properties.user_id)
        if !headers.isEmpty {
            properties.headers = AMQPFieldValue.cTable(headers, in: arena)
            flags |= UInt32(AMQP_BASIC_HEADERS_FLAG)
        }
        if let priority {
            properties.priority = priority
            flags |= UInt32(AMQP_BASIC_PRIORITY_FLAG)
        }
        if let timestamp {
            properties.timestamp = timestamp
            flags |= UInt32(AMQP_BASIC_TIMESTAMP_FLAG)
        }
        properties._flags = flags
        return properties
    }

    /// Decodes C properties (copies everything; the C memory may be released afterwards).
    init(_ properties: amqp_basic_properties_t) {
        let flags = properties._flags
        func has(_ flag: Int32) -> Bool { flags & UInt32(flag) != 0 }
        func string(_ flag: Int32, _ field: amqp_bytes_t) -> String? { has(flag) ? field.string : nil }
        self.init(
            contentType: string(AMQP_BASIC_CONTENT_TYPE_FLAG, properties.content_type),
            contentEncoding: string(AMQP_BASIC_CONTENT_ENCODING_FLAG, properties.content_encoding),
            headers: has(AMQP_BASIC_HEADERS_FLAG) ? AMQPFieldValue.table(properties.headers) : [:],
            persistent: has(AMQP_BASIC_DELIVERY_MODE_FLAG) && properties.delivery_mode == 2,
            priority: has(AMQP_BASIC_PRIORITY_FLAG) ? properties.priority : nil,
            correlationId: string(AMQP_BASIC_CORRELATION_ID_FLAG, properties.correlation_id),
            replyTo: string(AMQP_BASIC_REPLY_TO_FLAG, properties.reply_to),
            expiration: string(AMQP_BASIC_EXPIRATION_FLAG, properties.expiration),
            messageId: string(AMQP_BASIC_MESSAGE_ID_FLAG, properties.message_id),
            timestamp: has(AMQP_BASIC_TIMESTAMP_FLAG) ? properties.timestamp : nil,
            type: string(AMQP_BASIC_TYPE_FLAG, properties.type),
            appId: string(AMQP_BASIC_APP_ID_FLAG, properties.app_id),
            userId: string(AMQP_BASIC_USER_ID_FLAG, properties.user_id))
    }
}
